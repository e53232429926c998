"""Which letter fonts this machine has, checked once per process.

Member letters carry the language-assistance taglines in Chinese, Korean and Japanese; without a
CJK font WeasyPrint draws empty boxes and logs one warning per missing character (about 2,000 for
the demo's letters), which buries everything else a person needs to read.
"""

import functools
import shutil
import subprocess
from pathlib import Path

CJK_FONT_FAMILY = "WenQuanYi"
CJK_FONT_PACKAGE = "fonts-wqy-microhei"
CJK_FONT_MISSING = (
    f"Letters: the CJK font is missing, so the Chinese, Korean and Japanese lines print as "
    f"empty boxes (install it with: apt-get install -y {CJK_FONT_PACKAGE})"
)


@functools.cache
def cjk_font_installed() -> bool:
    """True when fontconfig knows a WenQuanYi font (what the letters' print CSS names)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return any(Path("/usr/share/fonts").glob("**/wqy-microhei*"))
    families = subprocess.run(  # noqa: S603 - fixed command, no user input
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    return CJK_FONT_FAMILY in families
