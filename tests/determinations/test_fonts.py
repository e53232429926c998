"""A machine without the CJK letter font: one line saying what to install, not a warning per
character (the demo's letters alone printed about 2,000 of them over the demo logins)."""

import os
import subprocess
import sys
from pathlib import Path

from determinations import fonts

REPO_ROOT = Path(__file__).resolve().parents[2]
RENDER = (
    "import django; django.setup()\n"
    "from determinations import pdf\n"
    "for _ in range(2):\n"
    "    pdf.html_to_pdf('<p>免費獲得語言援助服務 언어지원서비스를 무료로 無料の言語支援</p>')\n"
)


def test_missing_cjk_font_is_reported_once_in_one_line(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        "<selectfont><rejectfont><glob>*wqy*</glob></rejectfont></selectfont></fontconfig>"
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(conf),
        "DJANGO_SETTINGS_MODULE": "um_portal.settings",
        "UM_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", RENDER],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    output = (done.stdout + done.stderr).strip().splitlines()
    assert len(output) == 1, output[:5]
    assert output[0].endswith(fonts.CJK_FONT_MISSING)
    assert "apt-get install -y fonts-wqy-microhei" in output[0]
