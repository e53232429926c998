from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role

from ..charts import trend_chart
from ..forms import GoalForm
from ..models import Goal
from ..selectors.goals import GoalStatus, goal_statuses
from ..selectors.irr import irr_schedule
from ..services.goals import goal_create, goal_update


def _chart(status: GoalStatus):
    return trend_chart(
        slug=f"goal-{status.goal.pk}",
        title=f"{status.goal.name}, weekly",
        labels=[f"wk {p.week:%b %d}" for p in status.trend],
        values=[p.ratio.value for p in status.trend],
        target=status.goal.target,
        kappa=status.goal.is_kappa,
    )


@role_required(Role.MANAGER)
def goals_page(request):
    """Program goals with their value for the period, red/amber/green and a weekly trend.
    Aggregates only: no case is listed, so nothing is written to the access log."""
    statuses = goal_statuses()
    rows = [(status, _chart(status)) for status in statuses]
    context = {"tab": "goals", "rows": rows, "schedule": irr_schedule()}
    return render(request, "quality/goals.html", context)


@role_required(Role.MANAGER)
def goal_edit(request, goal_id=None):
    goal = get_object_or_404(Goal, pk=goal_id) if goal_id else None
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        if goal is None:
            goal_create(actor=request.user, fields=form.cleaned_data)
            messages.success(request, "Goal set.")
        else:
            # The form has written the new values onto the instance; the service compares
            # against the stored row.
            goal_update(
                actor=request.user, goal=Goal.objects.get(pk=goal.pk), fields=form.cleaned_data
            )
            messages.success(request, "Goal changed.")
        return redirect("quality:goals")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "quality/goal_form.html",
        {"tab": "goals", "form": form, "goal": goal},
        status=status,
    )
