"""The GitHub workflows: linted by actionlint, actions pinned, least privilege, no script injection."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(sys.executable).with_name("actionlint")  # shipped as a binary by the pinned Python package


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _lint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ACTIONLINT), "-no-color", "-oneline", *map(str, paths)],
                          capture_output=True, text=True, cwd=ROOT)


def _steps(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def test_the_three_workflows_are_there():
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "from-issue.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actionlint_finds_nothing(path):
    result = _lint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_fails_on_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: pull_request\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v7.0.1\n        with:\n          depth: 1\n"
        "      - run: echo \"${{ github.event.pull_request.title }\"\n", encoding="utf-8")
    result = _lint(broken)
    assert result.returncode == 1
    assert "broken.yml" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_action_is_pinned_to_an_exact_release(path):
    for _job, step in _steps(_load(path)):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", step["uses"]), step["uses"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_permissions_are_read_only_unless_a_job_needs_more(path):
    workflow = _load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert "concurrency" in workflow


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_no_expression_is_interpolated_into_a_shell_line(path):
    """`${{ ... }}` in `run:` is pasted into the script before it runs: an issue title or body there
    is script injection. Values reach scripts through `env:` instead."""
    for job, step in _steps(_load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: {job}: {step.get('name')}"


def test_the_pull_request_workflow_validates_tests_builds_and_uploads():
    workflow = _load(ROOT / ".github" / "workflows" / "pull-request.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is True
    steps = [step for _job, step in _steps(workflow)]
    runs = [step.get("run", "") for step in steps]
    validate = next(i for i, r in enumerate(runs) if "validate --format github" in r)
    assert "continue-on-error" not in steps[validate]  # problems fail the job
    tests = next(i for i, r in enumerate(runs) if "bash .ci/run" in r or "make test" in r)
    build = next(i for i, r in enumerate(runs) if "make build" in r)
    upload = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert validate < tests < build < upload
    assert steps[upload]["with"]["path"] == "site/"
    assert "GITHUB_STEP_SUMMARY" in runs[-1] and "ARTIFACT_URL" in runs[-1]


def test_the_deploy_workflow_builds_with_the_repositorys_own_address_and_deploys_to_pages():
    workflow = _load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in workflow["on"]
    uses = [step.get("uses", "").split("@")[0] for _job, step in _steps(workflow)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    build = next(step for _job, step in _steps(workflow) if "make build" in step.get("run", ""))
    assert build["env"] == {
        "HANDBOOK_REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
        "HANDBOOK_BRANCH": "${{ github.event.repository.default_branch }}",
        "HANDBOOK_SITE_URL": "${{ steps.pages.outputs.base_url }}/",
    }
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_from_issue_workflow_runs_only_on_the_label_and_only_for_maintainers():
    workflow = _load(ROOT / ".github" / "workflows" / "from-issue.yml")
    assert workflow["on"] == {"issues": {"types": ["labeled"]}}
    job = workflow["jobs"]["convert"]
    assert job["if"] == "github.event.label.name == 'till-pull-request'"
    first = job["steps"][0]
    assert "collaborators/$SENDER/permission" in first["run"] and "exit 1" in first["run"]
    assert first["env"]["SENDER"] == "${{ github.event.sender.login }}"
    convert = next(s for s in job["steps"] if "from-issue" in s.get("run", ""))
    assert convert["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    pr = next(s for s in job["steps"] if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert "#${{ github.event.issue.number }}" in pr["with"]["body"]
    comment = next(s for s in job["steps"] if "gh issue comment" in s.get("run", "") and "from-issue.txt" in s["run"])
    assert comment["if"] == "steps.convert.outputs.status != '0'"


def test_actionlint_refuses_an_untrusted_value_in_a_shell_line(tmp_path):
    unsafe = tmp_path / ".github" / "workflows" / "unsafe.yml"
    unsafe.parent.mkdir(parents=True)
    unsafe.write_text(
        "on:\n  issues:\n    types: [labeled]\npermissions:\n  contents: read\njobs:\n  convert:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.body }}\n", encoding="utf-8")
    result = _lint(unsafe)
    assert result.returncode == 1
    assert "untrusted" in result.stdout
