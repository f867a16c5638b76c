"""Commands run as a signed-in account: who may run what, what each sees, and whose name the trail records."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.cli import auth, main
from app.db import Database
from app.models.enums import MatterKind
from app.services.security import accounts
from tests.cli.logins import add_accounts, as_user
from tests.petition_builders import register


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)


@pytest.fixture
def office(db: Database) -> Database:
    add_accounts(db)
    with db.transaction() as session:
        register(session, kind=MatterKind.DENUNCIATION, name="Hoàng Văn Tố", summary="Tố cáo cán bộ xã nhận tiền")
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _trail(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str) -> str:
    code, out, _ = run(capsys, "audit", "--db", url, *as_user(monkeypatch, "quantri"), "list", "--limit", "50")
    assert code == 0
    return out


def test_without_a_login_a_command_is_refused(office: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "petition", "list", "--db", office.url)
    assert code == 2
    assert "Cần đăng nhập: dùng --user TÊN hoặc chạy “python -m app login”." in err


def test_wrong_password_and_lockout_are_refused_in_vietnamese(
    office: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(auth.PASSWORD_ENV, "sai-mat-khau")
    code, _, err = run(capsys, "petition", "list", "--db", office.url, "--user", "tiep")
    assert code == 2 and "Tên đăng nhập hoặc mật khẩu không đúng." in err
    for _ in range(4):
        run(capsys, "petition", "list", "--db", office.url, "--user", "tiep")
    code, _, err = run(capsys, "petition", "list", "--db", office.url, "--user", "tiep")
    assert code == 2 and "Tài khoản tạm khóa" in err


def test_a_locked_account_cannot_run_commands(
    office: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "user", "lock", "xuly", "--db", office.url, *as_user(monkeypatch, "quantri"))[0] == 0
    code, _, err = run(capsys, "petition", "list", "--db", office.url, *as_user(monkeypatch, "xuly"))
    assert code == 2 and "Tài khoản đã bị khóa" in err


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("quantri", {"user", "audit", "export"}), ("lanhdao", {"audit", "export"}), ("xuly", {"export"}), ("tiep", set())],
)
def test_what_each_role_may_run(
    office: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    username: str,
    allowed: set[str],
) -> None:
    login = as_user(monkeypatch, username)
    commands = {
        "user": ["user", "list", "--db", office.url, *login],
        "audit": ["audit", "verify", "--db", office.url, *login],
        "export": ["export", "petitions", "-o", str(tmp_path / "don.xlsx"), "--db", office.url, *login],
    }
    for name, argv in commands.items():
        code, _, err = run(capsys, *argv)
        if name in allowed:
            assert code == 0, err
        else:
            assert code == 2 and "không có quyền" in err and f"“{username}”" in err, err
    # Everyone may read the petition book; only the lead and the administrator see the denouncer.
    code, out, _ = run(capsys, "petition", "list", "--db", office.url, *login)
    assert code == 0
    assert ("Hoàng Văn Tố" in out) == (username in {"quantri", "lanhdao"})


def test_login_token_is_private_reused_audited_and_revoked(
    office: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "login", "--db", office.url, *as_user(monkeypatch, "xuly"))
    assert code == 0 and "Đã đăng nhập “xuly”" in out
    monkeypatch.delenv(auth.PASSWORD_ENV)
    path = auth.session_file(office)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "token_hash" not in path.read_text() and path.read_text().count(office.url) == 1
    code, out, _ = run(capsys, "petition", "list", "--db", office.url)
    assert code == 0 and "Hoàng Văn Tố" not in out  # the handler's masking, without a password
    assert run(capsys, "logout", "--db", office.url)[1].startswith("Đã đăng xuất “xuly”")
    assert not path.exists()
    assert run(capsys, "petition", "list", "--db", office.url)[0] == 2
    trail = _trail(capsys, monkeypatch, office.url)
    assert "\txuly\t" in trail and "\tquantri\t" in trail


def test_a_revoked_token_no_longer_works(
    office: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "login", "--db", office.url, *as_user(monkeypatch, "tiep"))[0] == 0
    monkeypatch.delenv(auth.PASSWORD_ENV)
    token = auth._stored_token(office)
    assert token is not None
    from app.services.security import cli_sessions

    with office.transaction() as session:
        cli_sessions.revoke(session, token)
    assert run(capsys, "petition", "list", "--db", office.url)[0] == 2


def test_reset_admin_recovers_a_forgotten_password_and_is_audited(
    office: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-moi-1\n"))
    code, out, err = run(capsys, "user", "reset-admin", "quantri", "--password-stdin", "--db", office.url)
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-moi-1\n"))
    code, out, _ = run(capsys, "audit", "--db", office.url, "--user", "quantri", "--password-stdin", "list")
    assert code == 0 and "khoi_phuc_quan_tri" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-moi-1\n"))
    assert run(capsys, "user", "reset-admin", "tiep", "--password-stdin", "--db", office.url)[0] == 2
