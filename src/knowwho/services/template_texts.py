"""The outreach templates knowwho ships: (name, subject, body), Jinja2 text the user can rewrite.

Each is rendered with the person's context (see `services/templates.py`): first, name,
organization, how_met, where, since, updates (my updates since we last spoke), my_name; and, where the
action knows them, other and why (an introduction), role and spoke_in (a re-engage), advice and learned
(a thank-you after an informational interview).
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
        "{% if where %}We met{{ where }}{% if how_met_on %} ({{ how_met_on }}){% endif %}. {% endif %}"
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
        "Hi {{ first }},\n\nThank you for taking the time to talk with me"
        "{% if advice %}, and for your advice ({{ advice }}): I'll act on it{% endif %}.\n"
        "{% if learned %}I learned a lot, especially this: {{ learned }}.\n"
        "{% elif not advice %}I learned a lot from our conversation.\n{% endif %}"
        "\nI'll keep you posted on how things go.\n" + _SIGN,
    ),
    "intro": (
        "Double opt-in introduction",
        "Would you like an introduction{% if other %} to {{ other }}{% endif %}?",
        "Hi {{ first }},\n\nI'd like to introduce you to {{ other or 'someone I know' }}{% if why %}: {{ why }}{% endif %}. "
        "I think you two would have a lot to talk about. Would you be open to an introduction? "
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
        "Hi {{ first }},\n\nWe spoke{% if spoke_in %} in {{ spoke_in }}{% elif since %} {{ since }} ago{% endif %} about "
        "{% if role %}the {{ role }} role{% else %}a role{% endif %}{% if organization %} at {{ organization }}{% endif %}. "
        "Thank you again for your time then.\n" + _UPDATES + "\n"
        "I'm still very interested in {{ organization or 'your team' }}, and would love to hear how things are going "
        "on your side. Would you have 15 minutes to catch up in the coming weeks?\n" + _SIGN,
    ),
    "reply": (
        "Reply",
        "Re: {{ subject or 'your message' }}",
        "Hi {{ first }},\n\nThank you for your message, and sorry for the wait.\n" + _SIGN,
    ),
    "follow-up": (
        "Follow-up",
        "Following up",
        "Hi {{ first }},\n\nI'm following up on our last conversation.\n" + _SIGN,
    ),
    "birthday": (
        "Birthday wishes",
        "Happy birthday!",
        "Hi {{ first }},\n\nHappy birthday! I hope you have a wonderful day.\n" + _SIGN,
    ),
}
