"""JSON API: me (profile, updates, jobs), my weekly goals, and the outreach templates drafts are written from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field, StringConstraints

from knowwho.core import Knowwho
from knowwho.services.goals import Goals, Progress
from knowwho.services.me import PROFILE_MAX, Profile
from knowwho.storage.me import UpdateRecord
from knowwho.web.schemas import Day, Strict
from knowwho.web.state import get_kw

router = APIRouter(tags=["me"])
Kw = Annotated[Knowwho, Depends(get_kw)]
TemplateName = Annotated[str, Path(max_length=60, description="nice-to-meet, thank-you, keep-in-touch...")]
Weekly = Annotated[int | None, Field(ge=0, le=1000)]


class UpdateOut(BaseModel):
    id: int
    date: str
    text: str
    tags: list[str]

    @classmethod
    def of(cls, u: UpdateRecord) -> UpdateOut:
        return cls(id=u.id, date=u.happened_on, text=u.title, tags=u.tags)


class MyRoleOut(BaseModel):
    organization: str
    title: str
    start_on: str | None
    end_on: str | None
    current: bool


class MeOut(BaseModel):
    name: str
    headline: str
    interests: str
    targets: str
    emails: list[str]
    updates: list[UpdateOut] = Field(description="My latest updates, newest first")
    roles: list[MyRoleOut]


class ProfileIn(Strict):
    name: Annotated[str, StringConstraints(max_length=PROFILE_MAX["name"])] | None = Field(
        None, description="Signs the drafts; left out, it stays as it is"
    )
    headline: Annotated[str, StringConstraints(max_length=PROFILE_MAX["headline"])] | None = None
    interests: Annotated[str, StringConstraints(max_length=PROFILE_MAX["interests"])] | None = None
    targets: Annotated[str, StringConstraints(max_length=PROFILE_MAX["targets"])] | None = None


class UpdateIn(Strict):
    text: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    date: Day | None = Field(None, description="When it happened (default today)")
    tags: list[Annotated[str, StringConstraints(max_length=100)]] = Field(default_factory=list, max_length=20)


class GoalsIn(Strict):
    conversations: Weekly = None
    new_people: Weekly = None
    max_old_replies: Weekly = Field(None, description="At most this many replies owed for over two days")


class GoalsOut(BaseModel):
    conversations: int | None
    new_people: int | None
    max_old_replies: int | None


class WeekOut(BaseModel):
    week_of: str = Field(description="This week's Monday")
    conversations: int
    new_people: int
    old_replies: int = Field(description="Replies owed for over two days, now")
    line: str = Field(description="In words, as Today shows it")


class GoalProgressOut(BaseModel):
    goals: GoalsOut
    this_week: WeekOut | None = Field(description="This week against the goals; null when no goal is set")

    @classmethod
    def of(cls, goals: Goals, progress: Progress | None) -> GoalProgressOut:
        week = None
        if progress is not None:
            week = WeekOut(week_of=progress.week.starts_on.isoformat(), conversations=progress.week.conversations,
                           new_people=progress.week.new_people, old_replies=progress.old_replies,
                           line=progress.line())  # fmt: skip
        return cls(goals=GoalsOut(conversations=goals.conversations, new_people=goals.new_people,
                                  max_old_replies=goals.max_old_replies), this_week=week)  # fmt: skip


class TemplateOut(BaseModel):
    key: str
    name: str
    subject: str
    body: str
    edited: bool = Field(description="Your own version, not the shipped one")


class TemplateIn(Strict):
    subject: Annotated[str, StringConstraints(max_length=300)] | None = Field(None, description="Unchanged if left out")
    body: Annotated[str, StringConstraints(min_length=1, max_length=20_000)] = Field(
        description="Jinja2: {{ first }}, {{ updates }}... checked by rendering it before it is saved"
    )


@router.get("/me", response_model=MeOut, summary="My profile, emails, updates and jobs")
def me(kw: Kw) -> MeOut:
    return _me_out(kw, kw.me.profile())


@router.patch("/me", response_model=MeOut, summary="Change my name, headline, interests or targets (undoable)")
def set_profile(kw: Kw, data: ProfileIn) -> MeOut:
    """A field left out (or null) stays as it is; the name signs the drafts."""
    profile = kw.me.set_profile(name=data.name, headline=data.headline, interests=data.interests, targets=data.targets)
    return _me_out(kw, profile)


def _me_out(kw: Knowwho, profile: Profile) -> MeOut:
    roles = [MyRoleOut(organization=r.organization, title=r.title, start_on=r.start_on, end_on=r.end_on,
                       current=r.is_current) for r in kw.network.my_roles()]  # fmt: skip
    return MeOut(name=profile.name, headline=profile.headline, interests=profile.interests, targets=profile.targets,
                 emails=profile.emails, updates=[UpdateOut.of(u) for u in profile.updates], roles=roles)  # fmt: skip


@router.post("/me/updates", response_model=UpdateOut, status_code=201, summary="Record something I did")
def add_update(kw: Kw, data: UpdateIn) -> UpdateOut:
    """It goes into "here's what I've been up to" drafts to people I haven't spoken to since."""
    return UpdateOut.of(kw.me.add_update(data.text, on=data.date, tags=data.tags))


@router.get("/goals", response_model=GoalProgressOut, summary="My weekly goals and this week's progress")
def goals(kw: Kw) -> GoalProgressOut:
    return GoalProgressOut.of(kw.goals.get(), kw.goals.progress())


@router.put("/goals", response_model=GoalProgressOut, summary="Set my weekly goals (a goal left out is cleared)")
def set_goals(kw: Kw, data: GoalsIn) -> GoalProgressOut:
    clear = -1  # the service's word for "no such goal"
    kw.goals.set(
        conversations=clear if data.conversations is None else data.conversations,
        new_people=clear if data.new_people is None else data.new_people,
        max_old_replies=clear if data.max_old_replies is None else data.max_old_replies,
    )
    return goals(kw)


@router.get("/templates", response_model=list[TemplateOut], summary="The templates drafts are written from")
def templates(kw: Kw) -> list[TemplateOut]:
    return [TemplateOut.model_validate(t.to_dict()) for t in kw.templates.all()]


@router.put("/templates/{name}", response_model=TemplateOut, summary="Rewrite a template (undoable)")
def edit_template(kw: Kw, name: TemplateName, data: TemplateIn) -> TemplateOut:
    """A template that does not render (a syntax error, an unsafe expression) is refused with the line."""
    return TemplateOut.model_validate(kw.templates.edit(name, subject=data.subject, body=data.body).to_dict())


@router.delete("/templates/{name}", response_model=TemplateOut, summary="Go back to the shipped text (undoable)")
def reset_template(kw: Kw, name: TemplateName) -> TemplateOut:
    return TemplateOut.model_validate(kw.templates.reset(name).to_dict())
