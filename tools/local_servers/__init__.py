"""Mail, address book and calendar servers on this computer, for the sync tests, benchmarks and the README's tour."""
