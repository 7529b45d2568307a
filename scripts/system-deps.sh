#!/usr/bin/env bash
# Installs the Debian packages that documents, attachments and browser tests need, where missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v msgfmt >/dev/null || need+=(gettext)
# libmagic (python-magic: attachment types by content) comes with the file command.
command -v file >/dev/null || need+=(file)
# The font list read once: `fc-list | grep -q` fails under pipefail when grep stops early.
fonts=$(fc-list : family 2>/dev/null || true)
grep -q "Noto Serif CJK" <<<"$fonts" || need+=(fonts-noto-cjk fonts-noto-cjk-extra)
grep -q "AR PL UKai" <<<"$fonts" || need+=(fonts-arphic-ukai)
# The PDFs' fonts (accountability/documents/fonts/fonts.conf): Fandol 仿宋/宋/黑/楷 from TeX Live
# (texlive-lang-chinese, about 260 MB with texlive-base, installed without recommends), and for
# characters outside GB 2312 the CN faces of AR PL UMing and WenQuanYi Zen Hei.
lean=()
[ -f /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf ] \
  || lean+=(texlive-lang-chinese)
grep -q "AR PL UMing CN" <<<"$fonts" || lean+=(fonts-arphic-uming)
grep -q "WenQuanYi Zen Hei" <<<"$fonts" || lean+=(fonts-wqy-zenhei)
if [ ${#need[@]} -eq 0 ] && [ ${#lean[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} ${lean[*]} (run as root: apt-get install" \
    "${need[*]}; apt-get install --no-install-recommends ${lean[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]} ${lean[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then apt-get install -y -qq "${need[@]}" >/dev/null; fi
if [ ${#lean[@]} -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
fi
