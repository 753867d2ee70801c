#!/usr/bin/env python3
"""Writes starter_library.json, the shipped starter library of interview content (issue 5).

The content lives in two modules next to this script:
  starter_library_questions.py  behavioral, technical and system-design items (open answers)
  starter_library_coding.py     coding challenges, each with a reference solution that computes
                                the expected output of every test case (never typed by hand)

Usage (from any directory, Python 3.8+, standard library only):
  python3 actors/domain/data/starter_library_gen.py            # validate, then write the JSON
  python3 actors/domain/data/starter_library_gen.py --check    # validate; fail if the file differs
  python3 actors/domain/data/starter_library_gen.py --starters # also run/compile the starter code
                                                               # (python3, node, javac, g++ if present)

Validation mirrors hw::domain::parse_item_body (actors/domain/content.hpp): keys, enums, bounds,
the coding rules; plus library rules: stable unique keys "starter:<slug>", every skill a slug of
the shipped taxonomy (skills.json beside this script), ASCII-only text, no near-duplicate titles
or prompts, the counts the issue asks for, and that every worked example in a coding prompt
matches its "example" test case. tests/unit/starter_library_test.cpp checks the same in C++.

Keys are stable: the service skips items whose key an organization already loaded, so a key is
never renamed or reused for different content. To change an item, edit it in place (same key).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import starter_library_coding  # noqa: E402
import starter_library_questions  # noqa: E402

OUT = os.path.join(HERE, "starter_library.json")
SKILLS = os.path.join(HERE, "skills.json")
FORMAT = "hirewire.library.v1"

KINDS = {"behavioral", "technical", "system_design", "coding"}
DIFFICULTIES = {"easy", "medium", "hard"}
SENIORITIES = ["intern", "junior", "mid", "senior", "staff_plus"]
CATEGORIES = {"engineering", "data", "product", "design", "sales", "support", "marketing", "operations"}
LANGUAGES = {"python", "javascript", "typescript", "java", "go", "cpp", "csharp", "ruby", "rust",
             "kotlin", "swift", "sql"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9+#.-]{0,49}$")
KEY = re.compile(r"^starter:[a-z0-9][a-z0-9-]{2,80}$")
BODY_KEYS = {"kind", "title", "prompt", "rubric", "expected_minutes", "difficulty", "skills",
             "seniorities", "categories", "coding"}
CODING_KEYS = {"io", "languages", "starter_code", "test_cases"}
CASE_KEYS = {"name", "input", "expected_output", "visible", "weight"}


def has_control(s, allow_newlines):
    for ch in s:
        o = ord(ch)
        if (o < 0x20 and not (allow_newlines and ch in "\n\t")) or o == 0x7F:
            return True
    return False


def validate_body(b):
    """Problems as "path: message", mirroring content.hpp's rules."""
    p = []
    for k in b:
        if k not in BODY_KEYS:
            p.append(f"/{k}: unknown key")
    if b.get("kind") not in KINDS:
        p.append("/kind: bad kind")
    t = b.get("title", "")
    if not isinstance(t, str) or not 8 <= len(t) <= 200 or has_control(t, False):
        p.append("/title: must be 8..200 characters without control characters")
    pr = b.get("prompt", "")
    if not isinstance(pr, str) or not 40 <= len(pr) <= 20000:
        p.append("/prompt: must be 40..20000 characters")
    r = b.get("rubric", {})
    if set(r) != {"strong", "acceptable", "weak"}:
        p.append("/rubric: needs exactly strong, acceptable, weak")
    for k, v in r.items():
        if not isinstance(v, str) or not 40 <= len(v) <= 5000:
            p.append(f"/rubric/{k}: must be 40..5000 characters")
    m = b.get("expected_minutes")
    if not isinstance(m, int) or isinstance(m, bool) or not 1 <= m <= 240:
        p.append("/expected_minutes: 1..240")
    if b.get("difficulty") not in DIFFICULTIES:
        p.append("/difficulty: bad value")
    sk = b.get("skills", [])
    if not 1 <= len(sk) <= 20 or len(set(sk)) != len(sk) or not all(SLUG.match(s) for s in sk):
        p.append("/skills: 1..20 unique slugs")
    se = b.get("seniorities", [])
    if not 1 <= len(se) <= 5 or len(set(se)) != len(se) or not all(s in SENIORITIES for s in se):
        p.append("/seniorities: 1..5 unique seniorities")
    ca = b.get("categories", [])
    if not 1 <= len(ca) <= 4 or len(set(ca)) != len(ca) or not all(c in CATEGORIES for c in ca):
        p.append("/categories: 1..4 unique categories")
    c = b.get("coding")
    if (b.get("kind") == "coding") != (c is not None):
        p.append("/coding: required iff kind is coding")
    if c is not None:
        for k in c:
            if k not in CODING_KEYS:
                p.append(f"/coding/{k}: unknown key")
        if c.get("io") not in ("stdin_stdout", "json"):
            p.append("/coding/io: bad value")
        langs = c.get("languages", [])
        if not 1 <= len(langs) <= 12 or len(set(langs)) != len(langs) or not set(langs) <= LANGUAGES:
            p.append("/coding/languages: 1..12 unique supported languages")
        sc = c.get("starter_code", {})
        if not set(sc) <= set(langs):
            p.append("/coding/starter_code: keys must be allowed languages")
        if set(sc) != set(langs):
            p.append("/coding/starter_code: the starter library gives starter code for every language")
        for k, v in sc.items():
            if len(v) > 20000:
                p.append(f"/coding/starter_code/{k}: too long")
        cases = c.get("test_cases", [])
        if not 1 <= len(cases) <= 50:
            p.append("/coding/test_cases: 1..50")
        if not any(x.get("visible") for x in cases) or all(x.get("visible") for x in cases):
            p.append("/coding/test_cases: needs a visible and a hidden case")
        if sum(1 for x in cases if not x.get("visible")) < 2:
            p.append("/coding/test_cases: the starter library keeps at least two hidden cases")
        names = [x.get("name") for x in cases]
        if len(set(names)) != len(names):
            p.append("/coding/test_cases: names must be unique")
        for i, x in enumerate(cases):
            if set(x) != CASE_KEYS:
                p.append(f"/coding/test_cases/{i}: keys {sorted(x)}")
            if not 1 <= len(x.get("name", "")) <= 100:
                p.append(f"/coding/test_cases/{i}/name: 1..100")
            for f in ("input", "expected_output"):
                if len(x.get(f, "")) > 100000:
                    p.append(f"/coding/test_cases/{i}/{f}: longer than 100000 characters")
                if c.get("io") == "json":
                    try:
                        json.loads(x.get(f, ""))
                    except ValueError:
                        p.append(f"/coding/test_cases/{i}/{f}: not JSON")
            w = x.get("weight")
            if not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= 100:
                p.append(f"/coding/test_cases/{i}/weight: 1..100")
    return p


def words(s):
    return re.findall(r"[a-z0-9]+", s.lower())


def shingles(s, n=3):
    w = words(s)
    return {tuple(w[i:i + n]) for i in range(max(0, len(w) - n + 1))}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 1.0


def known_skills():
    if not os.path.exists(SKILLS):
        return None
    with open(SKILLS, encoding="utf-8") as f:
        doc = json.load(f)
    rows = doc["skills"] if isinstance(doc, dict) else doc
    return {r["slug"] for r in rows}


def check_examples(problems):
    """Every coding prompt's worked example must equal the output of its 'example' test case."""
    for c in starter_library_coding.CHALLENGES:
        ex = [x for x in c["cases"] if x[0] == "example"]
        if not ex:
            continue
        _, inp, _, _ = ex[0]
        if c["io"] == "stdin_stdout":
            blocks = re.findall(r"```\n(.*?)```", c["prompt"], re.S)
            out = c["ref"](inp)
            if inp not in blocks or out not in blocks:
                problems.append(f"{c['key']}: prompt example does not match the example test case")
        else:
            snippets = []
            for s in re.findall(r"`([^`]+)`", c["prompt"]):
                try:
                    snippets.append(json.loads(s))
                except ValueError:
                    pass
            out = c["ref"](json.loads(json.dumps(inp)))
            if inp not in snippets or out not in snippets:
                problems.append(f"{c['key']}: prompt example does not match the example test case")


def check_starters(items, problems):
    """Runs each python/javascript starter on the first visible input (it must not crash) and
    compiles java/cpp starters when the tools exist."""
    tools = {t: shutil.which(t) for t in ("python3", "node", "javac", "g++", "go")}
    with tempfile.TemporaryDirectory() as tmp:
        for key, body in items:
            c = body.get("coding")
            if not c:
                continue
            inp = next(x["input"] for x in c["test_cases"] if x["visible"])
            for lang, code in c["starter_code"].items():
                cmd, fname = None, None
                if lang == "python" and tools["python3"]:
                    fname, cmd = "main.py", [tools["python3"], "main.py"]
                elif lang == "javascript" and tools["node"]:
                    fname, cmd = "main.js", [tools["node"], "main.js"]
                elif lang == "java" and tools["javac"]:
                    fname, cmd = "Main.java", [tools["javac"], "Main.java"]
                elif lang == "cpp" and tools["g++"]:
                    fname, cmd = "main.cpp", [tools["g++"], "-std=c++17", "-fsyntax-only", "main.cpp"]
                elif lang == "go" and tools["go"]:
                    fname, cmd = "main.go", [tools["go"], "vet", "main.go"]
                if not cmd:
                    continue
                with open(os.path.join(tmp, fname), "w", encoding="utf-8") as f:
                    f.write(code)
                r = subprocess.run(cmd, cwd=tmp, input=inp, capture_output=True, text=True, timeout=120)
                if r.returncode != 0:
                    problems.append(f"{key}: {lang} starter fails: {r.stderr.strip()[:300]}")


LIST_ITEM = re.compile(r"^\s*([-*+]|\d+\.)\s")


def unwrap(md):
    """Joins the hard-wrapped lines of each Markdown paragraph or list item into one line (the
    sources wrap at 100 columns for reading), keeping fenced code blocks, blank lines, list items,
    headings and tables as they are, so a renderer with hard line breaks shows the same text."""
    out, fenced = [], False
    for line in md.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        joinable = (not fenced and out and out[-1].strip() and not out[-1].startswith("```")
                    and line.strip() and not LIST_ITEM.match(line)
                    and not line.lstrip().startswith(("#", "|")))
        if joinable:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def build():
    items = starter_library_questions.build_items() + starter_library_coding.build_items()
    for _, body in items:
        body["prompt"] = unwrap(body["prompt"])
        body["rubric"] = {k: unwrap(v) for k, v in body["rubric"].items()}
    return [{"key": k, "body": b} for k, b in items]


def validate(items):
    problems = []
    keys = [it["key"] for it in items]
    for k in keys:
        if not KEY.match(k):
            problems.append(f"{k}: malformed key")
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        problems.append(f"duplicate keys: {sorted(dup)}")
    skills = known_skills()
    for it in items:
        body = it["body"]
        for pr in validate_body(body):
            problems.append(f"{it['key']}{pr}")
        if skills is not None:
            unknown = [s for s in body.get("skills", []) if s not in skills]
            if unknown:
                problems.append(f"{it['key']}: skills not in skills.json: {unknown}")
        text = json.dumps(body, ensure_ascii=False)
        if any(ord(ch) > 127 for ch in text):
            problems.append(f"{it['key']}: non-ASCII text")
    # near duplicates: titles by word-set Jaccard, prompts by 3-shingle Jaccard
    tw = [(it["key"], set(words(it["body"]["title"]))) for it in items]
    sh = [(it["key"], shingles(it["body"]["prompt"])) for it in items]
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if jaccard(tw[i][1], tw[j][1]) >= 0.6:
                problems.append(f"near-duplicate titles: {tw[i][0]} / {tw[j][0]}")
            if jaccard(sh[i][1], sh[j][1]) >= 0.5:
                problems.append(f"near-duplicate prompts: {sh[i][0]} / {sh[j][0]}")
    # counts the issue asks for
    bodies = [it["body"] for it in items]
    if len(bodies) < 120:
        problems.append(f"only {len(bodies)} items (< 120)")
    coding = [b for b in bodies if b["kind"] == "coding" and b["coding"]["test_cases"]]
    if len(coding) < 20:
        problems.append(f"only {len(coding)} coding challenges (< 20)")
    for s in SENIORITIES:
        if not any(s in b["seniorities"] for b in bodies):
            problems.append(f"no item for seniority {s}")
    for c in ("engineering", "data", "product", "support"):
        if not any(c in b["categories"] for b in bodies):
            problems.append(f"no item for category {c}")
    check_examples(problems)
    return problems


def summary(items):
    from collections import Counter
    bodies = [it["body"] for it in items]
    lines = [f"{len(bodies)} items"]
    for field in ("kind", "difficulty"):
        lines.append(f"  {field}: {dict(Counter(b[field] for b in bodies))}")
    for field in ("seniorities", "categories"):
        lines.append(f"  {field}: {dict(Counter(x for b in bodies for x in b[field]))}")
    sk = Counter(x for b in bodies for x in b["skills"])
    lines.append(f"  {len(sk)} skills: {dict(sorted(sk.items()))}")
    return "\n".join(lines)


def main():
    items = build()
    problems = validate(items)
    if "--starters" in sys.argv:
        check_starters([(it["key"], it["body"]) for it in items], problems)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    text = json.dumps({"format": FORMAT, "items": items}, indent=1, ensure_ascii=True) + "\n"
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{OUT} is out of date: run {sys.argv[0]}", file=sys.stderr)
                return 1
    else:
        with open(OUT, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print(summary(items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
