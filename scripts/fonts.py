#!/usr/bin/env python3
"""Regenerate the app's own fonts: www/fonts/*.woff2, subsets of DejaVu Sans and
DejaVu Sans Mono (Debian's fonts-dejavu-core) to the characters the app shows.

Run through scripts/fonts, which installs fontTools and brotli (PyPI) in .tools/.

The character set is a fixed base (ASCII, a few Latin-1 signs, Greek, the sub- and
superscript digits and letters, arrows, the math signs of the lecture) plus every
non-ASCII character found in the app's sources (www/, index.html, src/), so a label
added later is covered the next time this runs. Characters a face lacks are listed, not
fatal: the CSS font stacks fall back to the machine's fonts for them (and for pasted
text in other scripts). Output is byte-identical from run to run.
"""

import gzip
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = Path(os.environ.get("DEJAVU_DIR", "/usr/share/fonts/truetype/dejavu"))
OUT_DIR = ROOT / "www" / "fonts"

# (source file, output file): family names are set in www/style.css.
FACES = [
    ("DejaVuSans.ttf", "rnn-lab-sans.woff2"),
    ("DejaVuSans-Bold.ttf", "rnn-lab-sans-bold.woff2"),
    ("DejaVuSansMono.ttf", "rnn-lab-mono.woff2"),
]
# No bold monospace face: the few bold numbers and symbols in monospace are drawn with
# the browser's synthetic bold, which saves 12 KB. The monospace face (equations,
# vectors, numbers) also leaves out the Latin-1 signs and Greek capitals it never shows.
MONO = "rnn-lab-mono.woff2"


def ranges(*spans):
    out = set()
    for a, b in spans:
        out.update(range(a, b + 1))
    return out


BASE = ranges(
    (0x20, 0x7E),  # ASCII
    (0x3B1, 0x3C9),  # Greek small (γ λ ρ σ θ τ …)
    (0x2070, 0x2079),  # superscript digits ⁰ ⁴…⁹ (¹ ² ³ are Latin-1, below)
    (0x207A, 0x207F),  # ⁺ ⁻ ⁼ ⁽ ⁾ ⁿ
    (0x2080, 0x208E),  # subscript digits and signs ₀…₉ ₊ ₋ ₌ ₍ ₎
    (0x2090, 0x209C),  # subscript letters ₐ ₑ ₒ ₓ ₕ ₖ ₗ ₘ ₙ ₚ ₛ ₜ
    (0x2190, 0x2193),  # arrows ← ↑ → ↓
)
BASE |= {ord(c) for c in (
    "\u00a0«»±·¹²³°×÷"  # Latin-1 signs
    "ΓΔΘΛΠΣΦΨΩ"  # Greek capitals unlike Latin ones
    "ᵀᵏᵗᵢⱼᵣᵤᵥᵦᵧᵨᵩᵪ"  # modifier / subscript letters
    "ŷ\u0302"  # y hat, combining circumflex
    "–—‘’“”…′″‖•"  # punctuation
    "∂∇∑∏∈−√∝∞≈≠≡≤≥⊙⊗⋅⋮⟨⟩"  # math signs
    "↔⇒↵⇥␣▶◀▌✓✗✕"  # keys and controls
)}
# Every other character the sources use is added by source_chars(); any other
# character (pasted text, say) is drawn by the fallback fonts of the CSS stacks.

MONO_DROP = {ord(c) for c in "\u00a0«»°÷ΓΦΨΩ↔⇒↵⇥␣▶◀▌✕"}
# The bold face is for headings, labels, buttons and table heads: what they show is the base
# set (plus ẑ), not every character of the sources (measured on every chapter in Chromium:
# the non-ASCII characters of text set at weight ≥ 600 were «·»×Σγθλστẑ–‖’“”…←→∂−▶◀✓✗).
# A character it lacks in bold text is drawn by the stack's fallback bold. Saves ~5 KB.
BOLD = "rnn-lab-sans-bold.woff2"
BOLD_ONLY = {ord(c) for c in "ẑ"}
BOLD_DROP = {ord(c) for c in "ᵏᵗᵢⱼᵣᵤᵥᵦᵧᵨᵩᵪ↔⇒↵⇥␣▌✕"}

SOURCES = ["www", "index.html", "src"]
TEXT_EXT = {".js", ".mjs", ".css", ".html", ".rs"}


COMMENTS = re.compile(r"/\*[\s\S]*?\*/|(?:^|(?<=\s))//.*$", re.M)


def source_chars():
    """Every non-ASCII character the git-tracked app sources can show: not in comments
    (the equations of doc comments are never drawn), nor in Rust's test files."""
    files = subprocess.run(
        ["git", "ls-files", "--", *SOURCES], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    chars = set()
    for f in files:
        p = ROOT / f
        if p.suffix in TEXT_EXT and p.is_file() and not p.name.endswith("_tests.rs"):
            text = p.read_text(encoding="utf-8")
            if p.suffix in {".js", ".mjs", ".rs", ".css"}:
                text = COMMENTS.sub("", text)
            chars.update(ord(c) for c in text if ord(c) > 0x7E)
    return chars


def main():
    found = source_chars()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    total_raw = total_gz = 0
    for src, out in FACES:
        path = SRC_DIR / src
        if not path.is_file():
            sys.exit(f"fonts: {path} not found (apt-get install fonts-dejavu-core, or set DEJAVU_DIR)")
        cmap = TTFont(path).getBestCmap()
        if out == MONO:
            wanted = (BASE - MONO_DROP) | found
        elif out == BOLD:
            wanted = (BASE - BOLD_DROP) | BOLD_ONLY
        else:
            wanted = BASE | found
        have = sorted(c for c in wanted if c in cmap)
        missing = sorted(
            c for c in wanted if c not in cmap and unicodedata.category(chr(c)) != "Cn"
        )
        opts = subset.Options()
        opts.flavor = "woff2"
        opts.hinting = False  # browsers hint or smooth outlines themselves
        opts.desubroutinize = True
        opts.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, names, version
        opts.name_languages = [0x409]
        opts.glyph_names = False
        opts.notdef_outline = True
        opts.layout_features = ["kern", "mark", "mkmk", "ccmp", "locl"]
        opts.drop_tables += ["MATH", "FFTM"]
        font = TTFont(path, recalcTimestamp=False)  # the same bytes on every run
        sub = subset.Subsetter(options=opts)
        sub.populate(unicodes=have)
        sub.subset(font)
        target = OUT_DIR / out
        font.flavor = "woff2"
        font.save(target)
        raw = target.stat().st_size
        gz = len(gzip.compress(target.read_bytes(), 9))
        total_raw += raw
        total_gz += gz
        print(f"fonts: {target.relative_to(ROOT)}  {len(have)} characters  {raw} B  ({gz} B gzipped)")
        if missing:
            print(f"       not in {src} (the fallback font draws them): {''.join(map(chr, missing))}")
    print(f"fonts: total {total_raw} B ({total_gz} B gzipped)")


if __name__ == "__main__":
    main()
