from knowwho.cli import main

main()
