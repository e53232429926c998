"""docs/state-machines.md is generated from the models; this fails when it drifts."""

import pytest
from django.core.management import CommandError, call_command

from appeals.management.commands import state_diagrams


def test_committed_state_diagrams_match_the_models():
    assert state_diagrams.PATH.read_text() == state_diagrams.render()


def test_check_fails_on_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "state-machines.md"
    stale.write_text(state_diagrams.render().replace("overturn", "overrule"))
    monkeypatch.setattr(state_diagrams, "PATH", stale)
    with pytest.raises(CommandError, match="is stale"):
        call_command("state_diagrams", "--check")


def test_every_machine_is_drawn_with_roles_and_conditions():
    text = state_diagrams.render()
    assert (
        "    in_review --> decided_overturned : overturn [may decide] (assignee_independent)"
        in text
    )
    assert "    md_review --> denied : deny [medical_director]" in text
    assert "## Care-management referral (`caremgmt.Referral.status`)" in text
    assert "    new --> accepted : accept [um_nurse / um_manager]" in text
    assert "    contacted --> enrolled : enroll [owner or manager]" in text
    assert (
        "    decided_upheld --> forwarded_to_ire : forward_to_ire [nobody] (is_medicare_advantage)"
        in text
    )
