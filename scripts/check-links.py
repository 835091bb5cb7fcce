#!/usr/bin/env python3
"""Checks every relative link in every *.md of the repository: the file or folder it names must
exist, and an anchor (#section) must match a heading of the target page as GitHub makes anchors
(lower case, punctuation dropped, spaces to hyphens, -1, -2 ... for repeats) or an explicit
id/name attribute. Links to other sites are not fetched. Prints each broken link and exits 1 if
there is any. Usage: scripts/check-links.py [ROOT]   (default: the repository root)"""
import os
import re
import sys
import unicodedata

SKIP_DIRS = {".git", "target", "node_modules", ".idea", ".mvn"}
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTML_HREF = re.compile(r"<a\s[^>]*href=\"([^\"]+)\"", re.I)
HTML_ID = re.compile(r"<[^>]+\s(?:id|name)=\"([^\"]+)\"", re.I)
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")


def prose_lines(text):
    """The lines outside fenced code blocks: number, text, and text with inline code spans blanked out."""
    fence = None
    for number, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if m:
            marker = m.group(2)
            if fence is None:
                fence = marker[0] * len(marker)
                continue
            if marker.startswith(fence):
                fence = None
                continue
        if fence is None:
            yield number, line, re.sub(r"(`+)(.+?)\1", lambda c: " " * len(c.group(0)), line)


def slug(heading):
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading counts by its text
    text = re.sub(r"<[^>]+>", "", text)  # so does inline HTML
    text = text.strip().lower()
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in " -_" or cat[0] in "LN" or cat == "Mn":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        found, seen = set(), {}
        previous = None
        for _, line, _ in prose_lines(text):
            m = HEADING.match(line)
            title = m.group(2) if m else None
            if title is None and previous and previous.strip() and SETEXT.match(line) and not HEADING.match(previous):
                title = previous.strip()
            if title is not None:
                base = slug(title.replace("`", ""))
                n = seen.get(base, 0)
                seen[base] = n + 1
                found.add(base if n == 0 else f"{base}-{n}")
            found.update(HTML_ID.findall(line))
            previous = line
        cache[path] = found
    return cache[path]


def links(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for number, _, line in prose_lines(text):
        for m in INLINE_LINK.finditer(line):
            yield number, m.group(1)
        m = REFERENCE_DEF.match(line)
        if m:
            yield number, m.group(1)
        for href in HTML_HREF.findall(line):
            yield number, href


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    pages, broken, checked = [], [], 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        pages += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".md")]
    for page in pages:
        for number, target in links(page):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
                continue  # another site, mailto: and the like
            checked += 1
            where = f"{os.path.relpath(page, root)}:{number}: {target}"
            file_part, _, anchor = target.partition("#")
            resolved = page if file_part == "" else os.path.normpath(os.path.join(os.path.dirname(page), file_part))
            if not os.path.exists(resolved):
                broken.append(f"{where}  (no such file: {os.path.relpath(resolved, root)})")
            elif anchor:
                if not resolved.endswith(".md"):
                    broken.append(f"{where}  (an anchor into a file that is not Markdown)")
                elif anchor not in anchors(resolved):
                    broken.append(f"{where}  (no heading or id '{anchor}' in {os.path.relpath(resolved, root)})")
    for b in broken:
        print(b)
    print(f"check-links: {len(pages)} pages, {checked} relative links, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
