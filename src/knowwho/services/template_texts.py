"""The outreach templates knowwho ships: (name, subject, body), Jinja2 text the user can rewrite.

Each is rendered with the person's context (see `services/templates.py`): first, name,
organization, how_met, where, since, updates (my updates since we last spoke), my_name.
"""

from __future__ import annotations

_SIGN = "\nBest regards,\n{% if my_name %}{{ my_name }}\n{% endif %}"
_UPDATES = (
    "{% if updates %}\nHere's what I've been up to since we last spoke:\n"
    "{% for update in updates %}- {{ update }}\n{% endfor %}{% endif %}"
)

DEFAULTS: dict[str, tuple[str, str, str]] = {
    "informational-interview": (
        "Informational-interview request",
        "Could I ask you about your work{% if organization %} at {{ organization }}{% endif %}?",
        "Hi {{ first }},\n\n"
        "{% if how_met %}We met {{ how_met }}{% if how_met_on %} ({{ how_met_on }}){% endif %}. {% endif %}"
        "I'm exploring {{ field or 'your field' }} and would value your view on how you got where you are"
        "{% if organization %} and what your work at {{ organization }} is like{% endif %}.\n\n"
        "I'm not asking about a job: I'd like to learn from your experience. "
        "Would you have 20 minutes for a call in the next few weeks?\n" + _SIGN,
    ),
    "nice-to-meet": (
        "Nice to meet you",
        "Nice to meet you{% if event %} at {{ event }}{% endif %}",
        "Hi {{ first }},\n\nIt was great to meet you{{ where }}. "
        "I enjoyed our conversation and would be glad to stay in touch.\n" + _SIGN,
    ),
    "thank-you": (
        "Thank you",
        "Thank you for your time",
        "Hi {{ first }},\n\nThank you for taking the time to talk with me. I learned a lot, especially about\n\n"
        "I'll keep you posted on how things go.\n" + _SIGN,
    ),
    "intro": (
        "Double opt-in introduction",
        "Would you like an introduction{% if other %} to {{ other }}{% endif %}?",
        "Hi {{ first }},\n\nI know {{ other or 'someone' }} who is going through something you know well, "
        "and I think you two would enjoy talking. Would you be happy for me to introduce you? "
        "No pressure at all: if now isn't a good time, just say so.\n" + _SIGN,
    ),
    "keep-in-touch": (
        "Keep-in-touch update",
        "Catching up",
        "Hi {{ first }},\n\nIt's been a while{% if since %} ({{ since }}){% endif %} since we last spoke. "
        "How are things going{% if organization %} at {{ organization }}{% endif %}?\n" + _UPDATES + "\n"
        "I'd love to hear what you're working on these days.\n" + _SIGN,
    ),
    "re-engage": (
        "Re-engage",
        "Checking back in",
        "Hi {{ first }},\n\nWe spoke {% if since %}{{ since }} ago {% endif %}about a role"
        "{% if organization %} at {{ organization }}{% endif %}, and I've kept at it since.\n" + _UPDATES + "\n"
        "Would you have a few minutes to catch up?\n" + _SIGN,
    ),
    "reply": (
        "Reply",
        "Re: {{ subject or 'your message' }}",
        "Hi {{ first }},\n\nThank you for your message, and sorry for the wait.\n\n" + _SIGN,
    ),
    "follow-up": (
        "Follow-up",
        "Following up",
        "Hi {{ first }},\n\nI'm following up on our last conversation.\n\n" + _SIGN,
    ),
    "birthday": (
        "Birthday wishes",
        "Happy birthday!",
        "Hi {{ first }},\n\nHappy birthday! I hope you have a wonderful day.\n" + _SIGN,
    ),
}
