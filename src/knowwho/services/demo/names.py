"""The words the demo network is made of: places, organizations, topics (people's names: `person_names`)."""

from __future__ import annotations

CITIES = (
    "London", "Berlin", "Paris", "Amsterdam", "Lisbon", "Madrid", "Barcelona", "Stockholm", "Copenhagen",
    "Warsaw", "Prague", "Vienna", "Zurich", "Milan", "Dublin", "Edinburgh", "Istanbul", "Tel Aviv",
    "Dubai", "Cairo", "Lagos", "Accra", "Nairobi", "Cape Town", "Johannesburg", "Addis Ababa",
    "Bangalore", "Mumbai", "Delhi", "Dhaka", "Singapore", "Jakarta", "Manila", "Ho Chi Minh City",
    "Seoul", "Tokyo", "Osaka", "Shanghai", "Shenzhen", "Hong Kong", "Taipei", "Sydney", "Melbourne",
    "Auckland", "New York", "Boston", "Toronto", "Montreal", "Chicago", "Austin", "Seattle",
    "San Francisco", "Los Angeles", "Denver", "Mexico City", "Bogotá", "Lima", "São Paulo",
    "Buenos Aires", "Santiago",
)  # fmt: skip

# field -> (name endings, job titles, interest tags)
# fmt: off
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "software": (
        ("Software", "Labs", "Systems", "Cloud", "Stack", "Works", "Digital"),
        ("Software Engineer", "Senior Software Engineer", "Engineering Manager", "Staff Engineer", "CTO",
         "Product Manager", "Developer Advocate", "Site Reliability Engineer"),
        ("python", "rust", "devops", "open-source", "web", "security", "cloud"),
    ),
    "data & AI": (
        ("Analytics", "AI", "Data", "Insights", "Intelligence", "Metrics"),
        ("Data Scientist", "Machine Learning Engineer", "Data Engineer", "Head of Data", "Research Scientist",
         "Analytics Manager", "AI Product Lead"),
        ("machine-learning", "data-science", "statistics", "llms", "mlops", "data-engineering"),
    ),
    "healthcare": (
        ("Health", "Care", "Medical", "Clinics", "Therapeutics"),
        ("Clinical Data Manager", "Health Informatics Lead", "Physician", "Nurse Practitioner",
         "Director of Operations", "Epidemiologist"),
        ("digital-health", "public-health", "clinical-trials", "epidemiology"),
    ),
    "biotech": (
        ("Bio", "Genomics", "Biosciences", "Pharma", "Lifesciences"),
        ("Computational Biologist", "Bioinformatician", "Lab Manager", "Scientist", "VP Research"),
        ("genomics", "bioinformatics", "drug-discovery", "synthetic-biology"),
    ),
    "finance": (
        ("Capital", "Bank", "Finance", "Partners", "Payments", "Ventures"),
        ("Quantitative Analyst", "Risk Manager", "Investment Associate", "Partner", "Product Owner",
         "Compliance Officer"),
        ("fintech", "venture-capital", "quant", "payments", "risk"),
    ),
    "climate & energy": (
        ("Energy", "Climate", "Solar", "Grid", "Carbon", "Renewables"),
        ("Energy Analyst", "Sustainability Lead", "Climate Scientist", "Grid Engineer", "Program Manager"),
        ("climate-tech", "renewables", "carbon-markets", "sustainability"),
    ),
    "education": (
        ("Learning", "Academy", "Education", "School"),
        ("Learning Designer", "Teacher", "Curriculum Lead", "Director of Programs", "EdTech Product Manager"),
        ("edtech", "teaching", "mentoring", "curriculum-design"),
    ),
    "research": (
        ("Institute", "Research Center", "Observatory", "Foundation"),
        ("Postdoctoral Researcher", "Professor", "PhD Candidate", "Research Fellow", "Lab Director",
         "Research Software Engineer"),
        ("academia", "open-science", "research-software", "phd-life"),
    ),
    "media": (
        ("Media", "Studio", "News", "Press", "Publishing"),
        ("Editor", "Data Journalist", "Producer", "Head of Audience", "Designer"),
        ("journalism", "design", "storytelling", "podcasts"),
    ),
    "consulting": (
        ("Consulting", "Advisory", "Group", "Associates"),
        ("Consultant", "Senior Consultant", "Manager", "Principal", "Partner"),
        ("strategy", "change-management", "operations"),
    ),
    "government & nonprofit": (
        ("Agency", "Council", "Trust", "Alliance", "Initiative"),
        ("Policy Advisor", "Program Officer", "Digital Service Lead", "Executive Director", "Analyst"),
        ("civic-tech", "policy", "nonprofit", "open-data"),
    ),
    "retail": (
        ("Retail", "Commerce", "Market", "Goods", "Brands"),
        ("E-commerce Manager", "Supply Chain Analyst", "Merchandising Lead", "Growth Marketer"),
        ("e-commerce", "supply-chain", "marketing", "growth"),
    ),
}
# fmt: on

ORG_PREFIXES = (
    "Northwind", "Bluefin", "Cedar", "Brightpath", "Ironwood", "Silverline", "Granite", "Lumen", "Harbor",
    "Summit", "Redwood", "Aurora", "Polaris", "Meridian", "Evergreen", "Kestrel", "Atlas", "Orchid", "Nimbus",
    "Quartz", "Sable", "Tidal", "Vertex", "Willow", "Zephyr", "Amber", "Beacon", "Cobalt", "Delta", "Ember",
    "Fjord", "Glacier", "Horizon", "Indigo", "Juniper", "Keystone", "Lattice", "Mosaic", "Nova", "Onyx",
    "Pioneer", "Quill", "Riverbend", "Sequoia", "Terra", "Umbra", "Vantage", "Wavelength", "Yarrow", "Zenith",
    "Acacia", "Baobab", "Cypress", "Driftwood", "Elm", "Foxglove", "Greenfield", "Hawthorn", "Ivy", "Jade",
    "Kite", "Lighthouse", "Maple", "Nettle", "Oakridge", "Pine", "Quarry", "Rowan", "Saffron", "Thistle",
    "Upland", "Valley", "Westwind", "Alder", "Birch", "Copper", "Dune", "Estuary", "Falcon", "Garnet",
)  # fmt: skip

TOPICS = (
    "the data platform migration", "your talk on causal inference", "the open role on your team",
    "the grant proposal", "the climate dataset", "hiring plans for next year", "the product launch",
    "your PhD research", "the mentoring program", "the community meetup", "the paper draft",
    "moving to Berlin", "the reference letter", "the conference workshop", "the analytics roadmap",
    "the pilot with the hospital", "your new startup", "the podcast episode", "the reading group",
    "the hackathon", "the pricing experiment", "the onboarding guide", "the survey results",
)  # fmt: skip

SUBJECTS = (
    "Quick question about {topic}", "Following up on {topic}", "Coffee next week?", "Thanks for the intro!",
    "Catching up", "Notes from our chat about {topic}", "Intro: someone you should meet", "Slides from {topic}",
    "Congrats on the new role!", "Article you might like on {topic}", "Can I pick your brain about {topic}?",
    "Checking in", "Invitation: {topic}", "Feedback on {topic}",
)  # fmt: skip

MEETING_NOTES = (
    "Talked about {topic}; they suggested I speak with someone in their platform team.",
    "Caught up over coffee. They are thinking about changing jobs next year.",
    "Discussed {topic}. Promised to send the article on remote onboarding.",
    "They are hiring a data engineer in Q3; send them the referral.",
    "Long chat about {topic}. Their team uses Airflow and dbt; culture sounds collaborative.",
    "Lunch. Their aunt is a life coach who works with career changers.",
    "Walked through {topic}; they offered to review my CV.",
    "Met after the keynote; both of us are migrating email to Microsoft 365.",
)  # fmt: skip

PERSON_NOTES = (
    "Her aunt is a life coach; could introduce me if I want career coaching.",
    "Prefers a phone call to email. Based in {city}, usually free on Friday afternoons.",
    "Runs the {city} chapter of the data meetup; always looking for speakers.",
    "Was laid off in the spring; looking for product roles in climate tech.",
    "Knows everyone in the {field} scene; great person to ask about hiring managers.",
    "Loves climbing; ask about the Alps trip. Kids: two, both in primary school.",
    "Offered to be a reference for my next application. Keep them updated.",
    "Writes a newsletter about {field}; share anything good on the topic.",
)  # fmt: skip

ORG_NOTES = (
    "Hiring: growing the {field} team this year; hiring manager is friendly to informational interviews.",
    "Culture: remote-first, writes everything down, four-day weeks in summer.",
    "Needs: a data engineer who knows Airflow and dbt; budget approved for Q3.",
    "Culture: small teams, long-term projects; interviews are a take-home plus a panel.",
)  # fmt: skip

HOW_MET = (
    "worked together at {org}", "through {friend}", "university", "LinkedIn message", "a friend's wedding",
    "mentoring program", "a hackathon in {city}", "alumni network", "Slack community", "a workshop on {field}",
)  # fmt: skip

SITUATIONS = (
    ("migrating email to Microsoft 365", "email-migration"),
    ("changing jobs; looking at climate-tech startups", "job-search"),
    ("moving to a new city next spring", "relocation"),
    ("finishing a PhD and weighing industry offers", "phd-to-industry"),
    ("raising a seed round", "fundraising"),
    ("returning to work after parental leave", "career-return"),
    ("building a data team from scratch", "team-building"),
)  # fmt: skip

NEEDS = (
    ("a data engineer who knows Airflow", "hiring-data-engineer"),
    ("advice on work visas in Germany", "visa-advice"),
    ("a mentor in product management", "product-mentor"),
    ("beta users for a health app", "beta-users"),
    ("a speaker for the autumn meetup", "meetup-speaker"),
)  # fmt: skip

# Each offer answers one of the needs above, some in other words (visas / residence permits), so the demo's
# introductions show needs met as well as shared situations.
OFFERS = (
    ("building data pipelines with Airflow", "airflow-pipelines"),
    ("help with German residence permits", "immigration-help"),
    ("mentoring new product managers", "product-mentor"),
    ("testing early versions of health software", "beta-testing"),
    ("talks at conferences and meetups", "speaking"),
)  # fmt: skip

SECOND_DEGREE = (
    "her aunt, a life coach", "his former manager", "their PhD advisor", "a recruiter they trust",
    "their cofounder", "a college friend who works in {field}", "her sister, a hiring manager",
)  # fmt: skip

MY_UPDATES = (
    ("Published a blog post on forecasting with messy data", 40),
    ("Finished the cloud data engineering certificate", 95),
    ("Gave a talk at the city data meetup", 150),
    ("Open-sourced a small library for survey analysis", 230),
    ("Led the analytics for a hospital capacity project", 320),
)  # fmt: skip
