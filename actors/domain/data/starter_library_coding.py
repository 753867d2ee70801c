"""Coding challenges of the shipped starter library (see starter_library_gen.py).

Every challenge carries a reference solution (`ref`). The generator runs it on each test input to
compute the expected output, so an expected output is never typed by hand. Inputs that are large
are built from a seeded random generator, so the file is reproducible byte for byte.

io "stdin_stdout": `ref(input_text) -> output_text`; the program reads stdin and writes stdout.
io "json":         `ref(input_value) -> output_value`; the program reads one JSON document from
                   stdin and prints one JSON document (compared as JSON, not as text).
"""
import heapq
import json
import random
import re
from collections import Counter, OrderedDict, defaultdict, deque

STDIN_LANGS = ["python", "javascript", "java", "go", "cpp"]
JSON_LANGS = ["python", "javascript", "typescript"]

CHALLENGES = []


def challenge(key, title, *, difficulty, minutes, skills, seniorities, categories, io, prompt,
              strong, acceptable, weak, ref, cases, py, js, hint="", ts=None, languages=None):
    """Registers one challenge. `cases`: (name, input, visible, weight); `py`/`js`/`ts`: starter
    code; `hint`: the comment put into the generic Java/Go/C++ starters."""
    CHALLENGES.append(dict(key=key, title=title, difficulty=difficulty, minutes=minutes,
                           skills=skills, seniorities=seniorities, categories=categories, io=io,
                           prompt=prompt, strong=strong, acceptable=acceptable, weak=weak, ref=ref,
                           cases=cases, py=py, js=js, ts=ts, hint=hint, languages=languages))


def _comment(prefix, hint):
    return "\n".join(f"{prefix} {line}".rstrip() for line in hint.strip().split("\n"))


def java_starter(hint):
    return (
        "import java.io.*;\nimport java.util.*;\n\npublic class Main {\n"
        "    public static void main(String[] args) throws IOException {\n"
        "        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));\n"
        "        List<String> lines = new ArrayList<>();\n"
        "        for (String line = in.readLine(); line != null; line = in.readLine()) {\n"
        "            lines.add(line);\n        }\n"
        "        StringBuilder out = new StringBuilder();\n"
        + _comment("        //", hint) + "\n"
        "        // TODO: solve, appending each output line followed by '\\n' to out.\n"
        "        System.out.print(out);\n    }\n}\n")


def go_starter(hint):
    return (
        "package main\n\nimport (\n\t\"bufio\"\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n"
        "\tin := bufio.NewScanner(os.Stdin)\n\tin.Buffer(make([]byte, 1<<20), 1<<20)\n"
        "\tvar lines []string\n\tfor in.Scan() {\n\t\tlines = append(lines, in.Text())\n\t}\n"
        "\tout := bufio.NewWriter(os.Stdout)\n\tdefer out.Flush()\n"
        + _comment("\t//", hint) + "\n"
        "\t// TODO: solve, writing each output line with fmt.Fprintln(out, ...).\n"
        "\t_ = lines\n\tfmt.Fprint(out, \"\")\n}\n")


def cpp_starter(hint):
    return (
        "#include <iostream>\n#include <string>\n#include <vector>\n\nint main() {\n"
        "    std::ios::sync_with_stdio(false);\n    std::cin.tie(nullptr);\n"
        "    std::vector<std::string> lines;\n"
        "    for (std::string line; std::getline(std::cin, line);) lines.push_back(line);\n"
        + _comment("    //", hint) + "\n"
        "    // TODO: solve, writing each output line to std::cout followed by '\\n'.\n"
        "    return 0;\n}\n")


def lines_of(*rows):
    return "\n".join(str(r) for r in rows) + "\n"


# =============================================================================================
# 1. Two sum (json)
# =============================================================================================

def _two_sum(d):
    nums = d["nums"]
    if len(nums) <= 200:  # the prompt promises exactly one pair
        pairs = [(i, j) for i in range(len(nums)) for j in range(i + 1, len(nums))
                 if nums[i] + nums[j] == d["target"]]
        assert len(pairs) == 1, pairs
    seen = {}
    for i, x in enumerate(d["nums"]):
        if d["target"] - x in seen:
            return [seen[d["target"] - x], i]
        seen.setdefault(x, i)
    raise ValueError("no pair")


def _two_sum_big():
    r = random.Random(11)
    nums = r.sample(range(-10**6, 10**6), 2500)
    i, j = 1234, 2321
    target = nums[i] + nums[j]
    # keep exactly one pair: drop any other value that completes a pair
    seen, clean = set(), []
    for k, x in enumerate(nums):
        if k in (i, j):
            clean.append(x)
            continue
        if target - x in seen or target - x in (nums[i], nums[j]) or x in (nums[i], nums[j]):
            clean.append(10**7 + k)  # cannot pair: every other value is below 10**6 + 10**6
        else:
            clean.append(x)
        seen.add(clean[-1])
    assert _two_sum({"nums": clean, "target": target}) == [i, j]
    return {"nums": clean, "target": target}


challenge(
    "starter:coding-two-sum-indices", "Two sum: find the pair of indices",
    difficulty="easy", minutes=15, skills=["algorithms", "data-structures"],
    seniorities=["intern", "junior"], categories=["engineering"], io="json",
    prompt="""Given a list of integers `nums` and an integer `target`, return the indices `[i, j]`
(with `i < j`) of the two numbers that add up to `target`. Exactly one such pair exists, and the
same element may not be used twice.

**Input** (one JSON document on stdin): `{"nums": [2, 7, 11, 15], "target": 9}`

**Output** (one JSON document on stdout): `[0, 1]`

Constraints: 2 <= len(nums) <= 10^4, values and target fit in a 32-bit signed integer.
Aim for better than O(n^2) time; say what your solution costs in time and memory.""",
    strong="One pass with a hash map from value to its first index, checking `target - x` before "
           "inserting x (so an element is never paired with itself); O(n) time, O(n) memory. "
           "Handles duplicates ([3, 3] with target 6) and negative numbers, returns i < j, and the "
           "candidate mentions the sort + two-pointer alternative and why it needs the original indices kept.",
    acceptable="Correct O(n log n) sort-with-indices + two pointers, or a hash map solution that "
               "needs a hint for the duplicate-value case. Can state the complexity when asked.",
    weak="Only the O(n^2) double loop (times out on the 10^4 hidden case), pairs an element with "
         "itself, or returns values instead of indices; cannot explain the cost.",
    ref=_two_sum,
    cases=[("example", {"nums": [2, 7, 11, 15], "target": 9}, True, 1),
           ("duplicates", {"nums": [3, 3], "target": 6}, True, 1),
           ("negatives", {"nums": [-4, 10, 5, -1, 8], "target": 6}, False, 1),
           ("pair at the end", {"nums": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "target": 19}, False, 1),
           ("no self pairing", {"nums": [5, 1, 9, 4], "target": 10}, False, 1),
           ("large input", _two_sum_big(), False, 3)],
    py='''import json
import sys


def two_sum(nums, target):
    # TODO: return [i, j] with i < j and nums[i] + nums[j] == target
    return []


if __name__ == "__main__":
    data = json.load(sys.stdin)
    print(json.dumps(two_sum(data["nums"], data["target"])))
''',
    js='''const fs = require("fs");

function twoSum(nums, target) {
  // TODO: return [i, j] with i < j and nums[i] + nums[j] === target
  return [];
}

const data = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(twoSum(data.nums, data.target)));
''',
    ts='''import * as fs from "fs";

function twoSum(nums: number[], target: number): [number, number] | [] {
  // TODO: return [i, j] with i < j and nums[i] + nums[j] === target
  return [];
}

const data = JSON.parse(fs.readFileSync(0, "utf8")) as { nums: number[]; target: number };
console.log(JSON.stringify(twoSum(data.nums, data.target)));
''')


# =============================================================================================
# 2. Balanced brackets (stdin)
# =============================================================================================

def _brackets(text):
    lines = text.split("\n")
    t = int(lines[0])
    out = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for s in lines[1:1 + t]:
        st, ok = [], True
        for c in s:
            if c in "([{":
                st.append(c)
            elif c in pairs:
                if not st or st.pop() != pairs[c]:
                    ok = False
                    break
        out.append("YES" if ok and not st else "NO")
    return lines_of(*out)


def _brackets_big():
    r = random.Random(2)
    rows = []
    for n in range(12):
        st, s = [], []
        for _ in range(800):
            if st and r.random() < 0.5:
                s.append({"(": ")", "[": "]", "{": "}"}[st.pop()])
            else:
                c = r.choice("([{")
                st.append(c)
                s.append(c)
        while st:
            s.append({"(": ")", "[": "]", "{": "}"}[st.pop()])
        if n % 3 == 1:
            k = r.randrange(len(s))
            s[k] = {"(": "[", "[": "{", "{": "(", ")": "]", "]": "}", "}": ")"}[s[k]]
        rows.append("".join(s))
    return lines_of(len(rows), *rows)


challenge(
    "starter:coding-balanced-brackets", "Balanced brackets in expressions",
    difficulty="easy", minutes=15, skills=["algorithms", "data-structures"],
    seniorities=["intern", "junior"], categories=["engineering"], io="stdin_stdout",
    prompt="""Decide for each line whether its brackets `()`, `[]` and `{}` are balanced: every
opening bracket is closed by the same kind, in the right order. Other characters (letters, digits,
operators, spaces) are ignored. A line with no brackets is balanced.

**Input:** the first line holds `T` (1 <= T <= 100). Each of the next `T` lines is one expression
of at most 10,000 characters.

**Output:** `T` lines, `YES` or `NO`.

Example input:
```
4
(a + b) * [c - {d / e}]
([)]
((x)
f(x[0]) + g{}
```
Example output:
```
YES
NO
NO
YES
```""",
    strong="A stack of open brackets: push on open, on close check the top matches and pop; at the "
           "end the stack must be empty. O(n) per line. Handles a closing bracket on an empty stack, "
           "leftovers at the end (`((x)`), ignores other characters, and explains why a counter per "
           "bracket kind is not enough (`([)]`).",
    acceptable="Stack solution that is correct after one or two fixes the candidate finds by "
               "tracing the examples (e.g. forgetting the empty-stack check).",
    weak="Counts opening and closing brackets without order, fails `([)]` or crashes on an early "
         "closing bracket; repeated string replacement of `()` pairs that is O(n^2) on long lines.",
    ref=_brackets,
    cases=[("example", "4\n(a + b) * [c - {d / e}]\n([)]\n((x)\nf(x[0]) + g{}\n", True, 1),
           ("edge cases", "5\n)\nabc\n{[()()]}\n(((\n[]]\n", True, 1),
           ("close before open", "2\n)(\n}{[]\n", False, 1),
           ("long lines", _brackets_big(), False, 3)],
    hint="Input: T, then T lines. Output: YES or NO per line.",
    py='''import sys


def is_balanced(expr: str) -> bool:
    # TODO: True when every (, [ and { is closed by the same kind in the right order
    return True


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    t = int(lines[0])
    print("\\n".join("YES" if is_balanced(lines[i]) else "NO" for i in range(1, t + 1)))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");

function isBalanced(expr) {
  // TODO: true when every (, [ and { is closed by the same kind in the right order
  return true;
}

const t = Number(lines[0]);
const out = [];
for (let i = 1; i <= t; i++) out.push(isBalanced(lines[i]) ? "YES" : "NO");
console.log(out.join("\\n"));
''')


# =============================================================================================
# 3. Merge intervals (json)
# =============================================================================================

def _merge(d):
    out = []
    for s, e in sorted(d["intervals"]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def _merge_big():
    r = random.Random(3)
    iv = []
    for _ in range(1500):
        s = r.randrange(0, 10**6)
        iv.append([s, s + r.randrange(0, 300)])
    return {"intervals": iv}


challenge(
    "starter:coding-merge-busy-intervals", "Merge overlapping busy intervals",
    difficulty="medium", minutes=20, skills=["algorithms"],
    seniorities=["junior", "mid"], categories=["engineering"], io="json",
    prompt="""A calendar service stores each person's busy time as closed intervals `[start, end]`
(minutes since midnight, `start <= end`), in no particular order and possibly overlapping. Merge
them into the smallest list of non-overlapping intervals sorted by start. Intervals that touch
(`[1, 3]` and `[3, 5]`) merge into one.

**Input:** `{"intervals": [[1, 3], [8, 10], [2, 6], [15, 18]]}`

**Output:** `[[1, 6], [8, 10], [15, 18]]`

Constraints: 0 <= number of intervals <= 10^4. An empty list merges to `[]`.""",
    strong="Sort by start, sweep once extending the last merged interval while `start <= last_end` "
           "and taking `max(last_end, end)` (an interval fully inside another must not shrink it). "
           "O(n log n) time; mentions in-place vs copy and the empty input; tests contained and "
           "touching intervals without being told.",
    acceptable="Correct sort + sweep but misses containment (`[1, 10]`, `[2, 3]`) or touching "
               "intervals until tracing an example; fixes it once pointed out.",
    weak="Pairwise merging until nothing changes (O(n^2) or worse), does not sort, or loses "
         "intervals; cannot state the complexity.",
    ref=_merge,
    cases=[("example", {"intervals": [[1, 3], [8, 10], [2, 6], [15, 18]]}, True, 1),
           ("touching", {"intervals": [[1, 3], [3, 5]]}, True, 1),
           ("empty", {"intervals": []}, False, 1),
           ("contained", {"intervals": [[1, 10], [2, 3], [4, 5], [11, 12]]}, False, 1),
           ("unsorted chain", {"intervals": [[7, 9], [0, 2], [5, 7], [2, 4], [20, 20]]}, False, 1),
           ("large input", _merge_big(), False, 3)],
    py='''import json
import sys


def merge(intervals):
    # TODO: return the merged, sorted list of [start, end] intervals
    return []


if __name__ == "__main__":
    print(json.dumps(merge(json.load(sys.stdin)["intervals"])))
''',
    js='''const fs = require("fs");

function merge(intervals) {
  // TODO: return the merged, sorted list of [start, end] intervals
  return [];
}

console.log(JSON.stringify(merge(JSON.parse(fs.readFileSync(0, "utf8")).intervals)));
''',
    ts='''import * as fs from "fs";

type Interval = [number, number];

function merge(intervals: Interval[]): Interval[] {
  // TODO: return the merged, sorted list of [start, end] intervals
  return [];
}

const data = JSON.parse(fs.readFileSync(0, "utf8")) as { intervals: Interval[] };
console.log(JSON.stringify(merge(data.intervals)));
''')


# =============================================================================================
# 4. Top-k words (stdin)
# =============================================================================================

def _topk(text):
    first, _, rest = text.partition("\n")
    k = int(first)
    cnt = Counter(w.lower() for w in re.findall(r"[A-Za-z]+", rest))
    items = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return lines_of(*(f"{w} {c}" for w, c in items))


_WORDS = ("the service request latency queue worker retry timeout cache database index "
          "replica shard client server token error deploy rollback alert metric trace span log "
          "user session payment invoice order cart search ranking feed").split()


def _topk_big():
    r = random.Random(4)
    words = [r.choice(_WORDS[: r.randrange(1, len(_WORDS))]) for _ in range(3000)]
    words = [w.upper() if r.random() < 0.1 else w for w in words]
    text = []
    for i, w in enumerate(words):
        text.append(w + (".\n" if i % 17 == 16 else r.choice([" ", ", ", " - ", "; "])))
    return "10\n" + "".join(text)


challenge(
    "starter:coding-top-k-frequent-words", "Top k frequent words in a document",
    difficulty="medium", minutes=20, skills=["algorithms", "data-structures"],
    seniorities=["junior", "mid"], categories=["engineering", "data"], io="stdin_stdout",
    prompt="""Report the `k` most frequent words of a text.

A word is a maximal run of ASCII letters `A-Z`/`a-z`; everything else separates words. Words are
compared case-insensitively and reported in lower case. Order by count (highest first), and break
ties alphabetically. If the text has fewer than `k` distinct words, report all of them.

**Input:** the first line is `k` (1 <= k <= 1000); the rest of the input (any number of lines,
up to 100,000 characters) is the text.

**Output:** one line per word: `word count`.

Example input:
```
2
The cache missed; the CACHE was cold.
Cold starts hurt the p99.
```
Example output:
```
the 3
cache 2
```
(`cold` also appears twice, but `cache` comes first alphabetically.)""",
    strong="Tokenizes with a regex or a character scan (digits like the `99` in `p99` split words), "
           "counts in a hash map, then either sorts by (-count, word) in O(m log m) or uses a "
           "size-k heap in O(m log k), and explains when the heap is worth it. Tie-breaking is "
           "correct and tested; handles k larger than the number of distinct words.",
    acceptable="Correct counting and sorting, but needs a nudge on the tie-break or the tokenizer "
               "(e.g. splitting only on spaces and keeping punctuation attached).",
    weak="Splits on whitespace only, so `cache` and `CACHE` or `cold.` and `cold` are different "
         "words; ignores ties or sorts the whole text repeatedly.",
    ref=_topk,
    cases=[("example", "2\nThe cache missed; the CACHE was cold.\nCold starts hurt the p99.\n", True, 1),
           ("k larger than vocabulary", "10\nb a c a\n", True, 1),
           ("ties alphabetical", "3\nzeta alpha beta gamma delta alpha zeta\n", False, 1),
           ("punctuation and digits", "4\nerror42error, it's v2-beta; ERROR!\n", False, 1),
           ("large text", _topk_big(), False, 3)],
    hint="Input: k on the first line, then the text.\nOutput: one line per word, \"word count\".",
    py='''import sys


def top_k(k: int, text: str) -> list:
    # TODO: return [(word, count), ...] ordered by count desc, then word asc
    return []


def main() -> None:
    first, _, text = sys.stdin.read().partition("\\n")
    for word, count in top_k(int(first), text):
        print(word, count)


if __name__ == "__main__":
    main()
''',
    js='''const input = require("fs").readFileSync(0, "utf8");
const nl = input.indexOf("\\n");
const k = Number(input.slice(0, nl));
const text = input.slice(nl + 1);

function topK(k, text) {
  // TODO: return [[word, count], ...] ordered by count desc, then word asc
  return [];
}

console.log(topK(k, text).map(([w, c]) => `${w} ${c}`).join("\\n"));
''')


# =============================================================================================
# 5. LRU cache (stdin)
# =============================================================================================

def _lru(text):
    lines = text.strip("\n").split("\n")
    cap, q = map(int, lines[0].split())
    od, out = OrderedDict(), []
    for ln in lines[1:1 + q]:
        p = ln.split()
        if p[0] == "GET":
            if p[1] in od:
                od.move_to_end(p[1])
                out.append(od[p[1]])
            else:
                out.append("-1")
        else:
            if p[1] in od:
                od.move_to_end(p[1])
            od[p[1]] = p[2]
            if len(od) > cap:
                od.popitem(last=False)
    return lines_of(*out)


def _lru_big():
    r = random.Random(5)
    ops = []
    for i in range(3000):
        k = f"k{int(r.expovariate(1 / 60))}"
        if r.random() < 0.5:
            ops.append(f"GET {k}")
        else:
            ops.append(f"PUT {k} {i}")
    return lines_of(f"40 {len(ops)}", *ops)


challenge(
    "starter:coding-lru-cache", "Implement an LRU cache",
    difficulty="medium", minutes=30, skills=["data-structures", "caching"],
    seniorities=["junior", "mid", "senior"], categories=["engineering"], io="stdin_stdout",
    prompt="""Implement a least-recently-used (LRU) cache with a fixed capacity and run a sequence of
operations against it.

- `PUT key value` stores the value (replacing an existing one). If this makes the cache hold more
  than `capacity` keys, the least recently used key is evicted.
- `GET key` prints the value, or `-1` when the key is absent.

Both a successful `GET` and a `PUT` make the key the most recently used. Each operation must run
in O(1) average time.

**Input:** the first line is `capacity q` (1 <= capacity <= 10^4, 1 <= q <= 10^5). Then `q` lines,
each `PUT key value` or `GET key`; keys and values are tokens without spaces.

**Output:** one line per `GET`.

Example input:
```
2 7
PUT a 1
PUT b 2
GET a
PUT c 3
GET b
GET c
GET a
```
Example output:
```
1
-1
3
1
```""",
    strong="Hash map from key to a node of a doubly linked list ordered by recency (or the "
           "language's ordered map with move-to-end), O(1) per operation, with the update-existing-"
           "key case refreshing recency without evicting. Discusses thread safety (one lock vs "
           "sharding), and how real caches (Redis `allkeys-lru`) approximate LRU by sampling.",
    acceptable="Correct behaviour with an O(capacity) step somewhere (e.g. a list scan to find "
               "the oldest key) and awareness that it should be O(1); or O(1) with a bug in the "
               "update-existing-key path found by tracing.",
    weak="Evicts by insertion order (FIFO) instead of use order, forgets that GET refreshes "
         "recency, or scans and sorts by timestamps on every operation.",
    ref=_lru,
    cases=[("example", "2 7\nPUT a 1\nPUT b 2\nGET a\nPUT c 3\nGET b\nGET c\nGET a\n", True, 1),
           ("update refreshes", "2 6\nPUT a 1\nPUT b 2\nPUT a 10\nPUT c 3\nGET a\nGET b\n", True, 1),
           ("capacity one", "1 5\nPUT x 1\nGET x\nPUT y 2\nGET x\nGET y\n", False, 1),
           ("get missing", "3 3\nGET nope\nPUT a 1\nGET nope\n", False, 1),
           ("many operations", _lru_big(), False, 3)],
    hint="Input: \"capacity q\", then q lines \"PUT key value\" or \"GET key\".\n"
         "Output: one line per GET (the value or -1).",
    py='''import sys


class LRUCache:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        # TODO: choose the data structures

    def get(self, key: str) -> str:
        # TODO: return the value or "-1"; a hit makes the key most recently used
        return "-1"

    def put(self, key: str, value: str) -> None:
        # TODO: store, refresh recency, evict the least recently used key when over capacity
        pass


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    capacity, q = map(int, lines[0].split())
    cache, out = LRUCache(capacity), []
    for line in lines[1 : q + 1]:
        parts = line.split()
        if parts[0] == "GET":
            out.append(cache.get(parts[1]))
        else:
            cache.put(parts[1], parts[2])
    print("\\n".join(out))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");

class LRUCache {
  constructor(capacity) {
    this.capacity = capacity;
    // TODO: choose the data structures
  }
  get(key) {
    // TODO: return the value or "-1"; a hit makes the key most recently used
    return "-1";
  }
  put(key, value) {
    // TODO: store, refresh recency, evict the least recently used key when over capacity
  }
}

const [capacity, q] = lines[0].split(" ").map(Number);
const cache = new LRUCache(capacity);
const out = [];
for (let i = 1; i <= q; i++) {
  const [op, key, value] = lines[i].split(" ");
  if (op === "GET") out.push(cache.get(key));
  else cache.put(key, value);
}
console.log(out.join("\\n"));
''')


# =============================================================================================
# 6. Sliding-window rate limiter (stdin)
# =============================================================================================

def _ratelimit(text):
    lines = text.strip("\n").split("\n")
    limit, window, n = map(int, lines[0].split())
    allowed = defaultdict(deque)
    out = []
    for ln in lines[1:1 + n]:
        t, u = ln.split()
        t = int(t)
        dq = allowed[u]
        while dq and dq[0] <= t - window:
            dq.popleft()
        if len(dq) < limit:
            dq.append(t)
            out.append("ALLOW")
        else:
            out.append("DENY")
    return lines_of(*out)


def _ratelimit_big():
    r = random.Random(6)
    t, rows = 0, []
    for _ in range(2500):
        t += r.choice([0, 0, 1, 1, 2, 5])
        rows.append(f"{t} user{r.randrange(12)}")
    return lines_of(f"8 30 {len(rows)}", *rows)


challenge(
    "starter:coding-sliding-window-rate-limiter", "Per-user sliding-window rate limiter",
    difficulty="medium", minutes=30, skills=["algorithms", "data-structures", "system-design"],
    seniorities=["mid", "senior"], categories=["engineering"], io="stdin_stdout",
    prompt="""An API gateway limits each user to `limit` accepted requests in any window of `window`
seconds. A request from user `u` at time `t` is accepted when fewer than `limit` of `u`'s
**accepted** requests have timestamps in the half-open interval `(t - window, t]`; otherwise it
is denied. Denied requests do not count against the user.

**Input:** the first line is `limit window n` (1 <= limit <= 1000, 1 <= window <= 10^6,
1 <= n <= 10^5). Then `n` lines `timestamp user_id`, with timestamps (integer seconds) in
non-decreasing order.

**Output:** one line per request: `ALLOW` or `DENY`.

Example input:
```
2 10 6
1 alice
2 alice
3 alice
3 bob
11 alice
12 alice
```
Example output:
```
ALLOW
ALLOW
DENY
ALLOW
ALLOW
ALLOW
```
At t=11 the window is (1, 11]: only alice's request at 2 is in it. At t=12 it is (2, 12] and holds
only the request at 11.

After coding it, be ready to discuss how this would run across many gateway instances.""",
    strong="Per-user deque (queue) of accepted timestamps; evict from the front while "
           "`ts <= t - window`, then compare the size with the limit: amortized O(1) per request, "
           "O(users x limit) memory. Gets the half-open boundary right and does not record denied "
           "requests. In discussion: sliding-window counter or token bucket to cut memory, Redis "
           "with a Lua script or sorted sets for a shared limit across instances, clock skew, "
           "and what to do when the limiter store is down (fail open vs closed).",
    acceptable="Correct per-user log with a linear scan of the user's history per request, or a "
               "deque solution with an off-by-one at the window boundary fixed after tracing the "
               "example; a reasonable but shallow distributed discussion.",
    weak="A fixed window (resets at multiples of `window`), counts denied requests, or keeps one "
         "global counter instead of per user; no idea how to share state across instances.",
    ref=_ratelimit,
    cases=[("example", "2 10 6\n1 alice\n2 alice\n3 alice\n3 bob\n11 alice\n12 alice\n", True, 1),
           ("same second burst", "3 1 5\n5 u\n5 u\n5 u\n5 u\n6 u\n", True, 1),
           ("denied do not count", "1 5 4\n0 a\n4 a\n5 a\n9 a\n", False, 1),
           ("window boundary", "2 100 5\n0 a\n50 a\n99 a\n100 a\n150 a\n", False, 1),
           ("many users", _ratelimit_big(), False, 3)],
    hint="Input: \"limit window n\", then n lines \"timestamp user_id\".\n"
         "Output: ALLOW or DENY per request.",
    py='''import sys


class RateLimiter:
    def __init__(self, limit: int, window: int) -> None:
        self.limit = limit
        self.window = window
        # TODO: per-user state

    def allow(self, t: int, user: str) -> bool:
        # TODO: accept when fewer than `limit` accepted requests of `user` lie in (t - window, t]
        return True


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    limit, window, n = map(int, lines[0].split())
    rl, out = RateLimiter(limit, window), []
    for line in lines[1 : n + 1]:
        t, user = line.split()
        out.append("ALLOW" if rl.allow(int(t), user) else "DENY")
    print("\\n".join(out))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const [limit, windowSeconds, n] = lines[0].split(" ").map(Number);

// TODO: per-user state
function allow(t, user) {
  // TODO: accept when fewer than `limit` accepted requests of `user` lie in (t - window, t]
  return true;
}

const out = [];
for (let i = 1; i <= n; i++) {
  const [t, user] = lines[i].split(" ");
  out.push(allow(Number(t), user) ? "ALLOW" : "DENY");
}
console.log(out.join("\\n"));
''')


# =============================================================================================
# 7. Endpoint latency report (stdin)
# =============================================================================================

def _latency(text):
    by = defaultdict(list)
    errs = Counter()
    for ln in text.split("\n"):
        if not ln.strip():
            continue
        method, path, status, ms = ln.split()
        path = path.split("?")[0]
        by[(method, path)].append(int(ms))
        if int(status) >= 500:
            errs[(method, path)] += 1
    out = []
    for key in sorted(by):
        v = sorted(by[key])
        rank = -(-95 * len(v) // 100)  # ceil(0.95 n), nearest-rank
        out.append(f"{key[0]} {key[1]} count={len(v)} p95={v[rank - 1]} errors={errs[key]}")
    return lines_of(*out)


def _latency_big():
    r = random.Random(7)
    eps = [("GET", "/v1/jobs"), ("GET", "/v1/jobs/{id}"), ("POST", "/v1/invitations"),
           ("GET", "/v1/library/items"), ("DELETE", "/v1/sessions")]
    rows = []
    for _ in range(1000):
        m, p = r.choice(eps)
        q = "?page=" + str(r.randrange(9)) if r.random() < 0.3 else ""
        st = r.choice([200] * 30 + [201, 204, 400, 404, 500, 503])
        rows.append(f"{m} {p}{q} {st} {int(r.lognormvariate(3.5, 0.8))}")
    return lines_of(*rows)


challenge(
    "starter:coding-endpoint-latency-report", "Per-endpoint latency report from access logs",
    difficulty="medium", minutes=25, skills=["algorithms", "observability"],
    seniorities=["junior", "mid"], categories=["engineering"], io="stdin_stdout",
    prompt="""You are given an access log and must summarize it per endpoint, the way an on-call
engineer would before digging into a latency alert.

Each line is `METHOD PATH STATUS LATENCY_MS`. The endpoint is `METHOD` plus `PATH` **without its
query string** (drop everything from the first `?`). For each endpoint report:

- `count`: number of requests,
- `p95`: the 95th percentile latency by the nearest-rank method: sort the latencies ascending
  and take the element at 1-based position `ceil(0.95 * count)`,
- `errors`: the number of requests with status >= 500.

**Input:** up to 10^5 log lines (blank lines are ignored).

**Output:** one line per endpoint, sorted by method then path (plain byte order):
`METHOD PATH count=N p95=MS errors=E`.

Example input:
```
GET /v1/jobs?page=2 200 120
GET /v1/jobs 200 80
POST /v1/invitations 201 300
GET /v1/jobs 503 900
POST /v1/invitations 500 30
```
Example output:
```
GET /v1/jobs count=3 p95=900 errors=1
POST /v1/invitations count=2 p95=300 errors=1
```""",
    strong="Groups in a hash map keyed by (method, path-without-query), sorts each group once and "
           "indexes `ceil(0.95 n) - 1` using integer arithmetic (no float rounding surprises), "
           "counts 5xx separately. Mentions that production systems use streaming sketches "
           "(HDR histogram, t-digest) instead of keeping every sample, and why averaging per-host "
           "p95s is wrong.",
    acceptable="Correct report with a small slip (off-by-one in the rank, or a float ceil that "
               "is right for the tests) found by testing; no discussion of sketches.",
    weak="Keeps the query string in the key, computes an average instead of a percentile, or "
         "sorts the whole log per endpoint; output order not deterministic.",
    ref=_latency,
    cases=[("example", "GET /v1/jobs?page=2 200 120\nGET /v1/jobs 200 80\nPOST /v1/invitations 201 300\n"
                       "GET /v1/jobs 503 900\nPOST /v1/invitations 500 30\n", True, 1),
           ("single request", "GET /healthz 200 1\n", True, 1),
           ("twenty requests", lines_of(*(f"GET /a 200 {i}" for i in range(20, 0, -1))), False, 1),
           ("method distinguishes", "GET /x 200 5\nPOST /x 502 7\nGET /x?y=1 200 9\n\n", False, 1),
           ("large log", _latency_big(), False, 3)],
    hint="Input: lines \"METHOD PATH STATUS LATENCY_MS\".\n"
         "Output: \"METHOD PATH count=N p95=MS errors=E\" per endpoint, sorted by method then path.",
    py='''import sys


def report(lines):
    # TODO: return the output lines, one per endpoint, sorted by (method, path)
    return []


if __name__ == "__main__":
    rows = [line for line in sys.stdin.read().split("\\n") if line.strip()]
    print("\\n".join(report(rows)))
''',
    js='''const rows = require("fs").readFileSync(0, "utf8").split("\\n").filter((l) => l.trim() !== "");

function report(rows) {
  // TODO: return the output lines, one per endpoint, sorted by method then path
  return [];
}

console.log(report(rows).join("\\n"));
''')


# =============================================================================================
# 8. Grid shortest path (stdin)
# =============================================================================================

def _grid(text):
    lines = text.split("\n")
    R, C = map(int, lines[0].split())
    g = lines[1:1 + R]
    for r in range(R):
        for c in range(C):
            if g[r][c] == "S":
                s = (r, c)
    dist = {s: 0}
    dq = deque([s])
    while dq:
        r, c = dq.popleft()
        if g[r][c] == "E":
            return lines_of(dist[(r, c)])
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < R and 0 <= nc < C and g[nr][nc] != "#" and (nr, nc) not in dist:
                dist[(nr, nc)] = dist[(r, c)] + 1
                dq.append((nr, nc))
    return lines_of(-1)


def _grid_big(seed, wall):
    r = random.Random(seed)
    R, C = 100, 150
    g = [["#" if r.random() < wall else "." for _ in range(C)] for _ in range(R)]
    for r0, c0 in ((0, 0), (0, 1), (1, 0), (R - 1, C - 2), (R - 2, C - 1)):
        g[r0][c0] = "."  # keep the corners open so the maze case has a path
    g[0][0], g[R - 1][C - 1] = "S", "E"
    return lines_of(f"{R} {C}", *("".join(row) for row in g))


challenge(
    "starter:coding-warehouse-robot-shortest-path", "Shortest path for a warehouse robot",
    difficulty="medium", minutes=25, skills=["algorithms"],
    seniorities=["junior", "mid"], categories=["engineering"], io="stdin_stdout",
    prompt="""A warehouse floor is a grid. A robot starts at `S` and must reach `E`, moving one cell
up, down, left or right per step. `#` cells are shelves and cannot be entered; `.` cells are free.
Print the minimum number of steps, or `-1` if `E` cannot be reached.

**Input:** the first line is `R C` (1 <= R, C <= 500); then `R` lines of `C` characters from
`.#SE`. There is exactly one `S` and one `E`.

**Output:** one integer.

Example input:
```
4 5
S..#.
.#...
.#.#.
...#E
```
Example output:
```
7
```""",
    strong="Breadth-first search from S with a visited set marked on enqueue (not dequeue), "
           "O(R x C) time and memory; explains why BFS gives shortest paths on unweighted grids and "
           "why DFS does not; handles unreachable E. Mentions A* with Manhattan distance or "
           "Dijkstra if steps had costs.",
    acceptable="Correct BFS with minor inefficiency (marking visited on dequeue, so cells are "
               "queued more than once) or needs help with bounds checks.",
    weak="DFS/backtracking that explores all paths (exponential), or recursion that overflows "
         "on a 500x500 grid; returns a path length that is not minimal.",
    ref=_grid,
    cases=[("example", "4 5\nS..#.\n.#...\n.#.#.\n...#E\n", True, 1),
           ("unreachable", "3 3\nS#.\n##.\n..E\n", True, 1),
           ("adjacent", "1 2\nSE\n", False, 1),
           ("open field", _grid_big(8, 0.0), False, 1),
           ("maze", _grid_big(9, 0.25), False, 2),
           ("dense walls", _grid_big(10, 0.45), False, 1)],
    hint="Input: \"R C\", then R rows of . # S E.\nOutput: the minimum number of steps, or -1.",
    py='''import sys


def shortest_path(grid):
    # TODO: minimum steps from S to E moving up/down/left/right, or -1
    return -1


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    rows, _cols = map(int, lines[0].split())
    print(shortest_path(lines[1 : rows + 1]))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const [rows] = lines[0].split(" ").map(Number);
const grid = lines.slice(1, rows + 1);

function shortestPath(grid) {
  // TODO: minimum steps from S to E moving up/down/left/right, or -1
  return -1;
}

console.log(shortestPath(grid));
''')


# =============================================================================================
# 9. Build order / topological sort (stdin)
# =============================================================================================

def _build_order(text):
    lines = text.split("\n")
    n = int(lines[0])
    deps, nodes = {}, set()
    for ln in lines[1:1 + n]:
        name, _, rest = ln.partition(":")
        name = name.strip()
        d = rest.split()
        deps.setdefault(name, set()).update(d)
        nodes.add(name)
        nodes.update(d)
    indeg = {x: 0 for x in nodes}
    users = defaultdict(list)
    for x, ds in deps.items():
        for d in ds:
            users[d].append(x)
            indeg[x] += 1
    h = [x for x in nodes if indeg[x] == 0]
    heapq.heapify(h)
    order = []
    while h:
        x = heapq.heappop(h)
        order.append(x)
        for y in users[x]:
            indeg[y] -= 1
            if indeg[y] == 0:
                heapq.heappush(h, y)
    if len(order) != len(nodes):
        return lines_of("CYCLE")
    return lines_of(*order)


def _build_big(cycle):
    r = random.Random(12 + cycle)
    names = [f"pkg{i:04d}" for i in range(600)]
    r.shuffle(names)
    rows = []
    for i, nm in enumerate(names):
        ds = r.sample(names[:i], min(i, r.randrange(0, 4)))
        rows.append(f"{nm}: {' '.join(ds)}".rstrip())
    if cycle:
        rows.append(f"{names[10]}: {names[500]}")
        rows.append(f"{names[500]}: {names[10]}")
    r.shuffle(rows)
    return lines_of(len(rows), *rows)


challenge(
    "starter:coding-package-build-order", "Package build order with dependency cycles",
    difficulty="medium", minutes=30, skills=["algorithms", "data-structures"],
    seniorities=["mid", "senior"], categories=["engineering"], io="stdin_stdout",
    prompt="""A build tool must build every package after all of its dependencies. Print a valid build
order; when several packages are ready at the same time, build the alphabetically smallest first
(this makes the order unique). If the dependencies contain a cycle, print only `CYCLE`.

**Input:** the first line is `N` (1 <= N <= 10^4). Each of the next `N` lines is
`name: dep1 dep2 ...` (the list may be empty). A dependency that never appears before a colon is
a package with no dependencies of its own and must be built too. A package may appear on several
lines; its dependencies are the union.

**Output:** the packages in build order, one per line, or the single line `CYCLE`.

Example input:
```
4
app: web db
web: http
db:
http:
```
Example output:
```
db
http
web
app
```""",
    strong="Kahn's algorithm with a min-heap of ready packages (in-degree counts, reverse edges), "
           "O((V + E) log V); detects a cycle when fewer than V packages are emitted. Includes "
           "dependency-only packages and unions repeated lines. Can explain why a DFS topological "
           "sort does not directly give the smallest order, and how a real build would report "
           "which packages form the cycle.",
    acceptable="Correct Kahn's or DFS ordering but the tie-break needs a hint (plain queue instead "
               "of a heap), or misses dependency-only packages at first.",
    weak="Repeatedly scans all packages for one whose deps are built (O(V^2) or worse) without "
         "noticing, or loops forever / crashes on a cycle.",
    ref=_build_order,
    cases=[("example", "4\napp: web db\nweb: http\ndb:\nhttp:\n", True, 1),
           ("cycle", "3\na: b\nb: c\nc: a\n", True, 1),
           ("implicit packages", "2\nz: y x\nm: x\n", False, 1),
           ("repeated lines", "3\nb: a\nb: c\nc:\n", False, 1),
           ("self dependency", "1\nloop: loop\n", False, 1),
           ("large graph", _build_big(0), False, 2),
           ("large graph with cycle", _build_big(1), False, 2)],
    hint="Input: N, then N lines \"name: dep1 dep2 ...\".\n"
         "Output: the build order (smallest name first among ready packages), or CYCLE.",
    py='''import sys


def build_order(deps):
    # deps: {name: set(dependencies)}; TODO: return the order as a list, or None on a cycle
    return []


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    deps = {}
    for line in lines[1 : int(lines[0]) + 1]:
        name, _, rest = line.partition(":")
        deps.setdefault(name.strip(), set()).update(rest.split())
    order = build_order(deps)
    print("CYCLE" if order is None else "\\n".join(order))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const deps = new Map();
for (let i = 1; i <= Number(lines[0]); i++) {
  const [name, rest = ""] = lines[i].split(":");
  const set = deps.get(name.trim()) || new Set();
  rest.split(" ").filter(Boolean).forEach((d) => set.add(d));
  deps.set(name.trim(), set);
}

function buildOrder(deps) {
  // TODO: return the order as an array, or null on a cycle
  return [];
}

const order = buildOrder(deps);
console.log(order === null ? "CYCLE" : order.join("\\n"));
''')


# =============================================================================================
# 10. Network delay (Dijkstra) (stdin)
# =============================================================================================

def _delay(text):
    lines = text.strip("\n").split("\n")
    n, m, k = map(int, lines[0].split())
    adj = defaultdict(list)
    for ln in lines[1:1 + m]:
        u, v, w = map(int, ln.split())
        adj[u].append((v, w))
    dist = {k: 0}
    h = [(0, k)]
    while h:
        d, u = heapq.heappop(h)
        if d > dist[u]:
            continue
        for v, w in adj[u]:
            if d + w < dist.get(v, float("inf")):
                dist[v] = d + w
                heapq.heappush(h, (d + w, v))
    if len(dist) < n:
        return lines_of(-1)
    return lines_of(max(dist.values()))


def _delay_big(seed, connected):
    r = random.Random(seed)
    n = 700
    edges = []
    for v in range(2, n + 1):
        if connected or v % 170:
            edges.append((r.randrange(1, v), v, r.randrange(1, 1000)))
    for _ in range(1600):
        u, v = r.randrange(1, n + 1), r.randrange(1, n + 1)
        if connected or (u % 170 and v % 170):
            edges.append((u, v, r.randrange(1, 1000)))
    r.shuffle(edges)
    return lines_of(f"{n} {len(edges)} 1", *(f"{u} {v} {w}" for u, v, w in edges))


challenge(
    "starter:coding-config-propagation-delay", "Config propagation delay across a service mesh",
    difficulty="medium", minutes=30, skills=["algorithms", "distributed-systems"],
    seniorities=["mid", "senior"], categories=["engineering"], io="stdin_stdout",
    prompt="""A configuration change starts at node `k` of a mesh of `n` nodes (numbered 1..n) and
spreads along directed links: link `u v w` means that once `u` has the change, `v` gets it `w`
milliseconds later. Print the time at which the last node has the change, or `-1` if some node
never gets it.

**Input:** the first line is `n m k` (1 <= n <= 10^4, 0 <= m <= 10^5). Then `m` lines `u v w`
(1 <= w <= 1000). There may be several links between the same pair and links from a node to itself.

**Output:** one integer.

Example input:
```
4 4 2
2 1 1
2 3 1
3 4 1
1 4 5
```
Example output:
```
2
```""",
    strong="Dijkstra with a binary heap and lazy deletion (skip stale heap entries), "
           "O((n + m) log n); answer is the max distance, -1 if any node is unreached. Explains "
           "why BFS is wrong with weights and why Dijkstra needs non-negative weights; handles "
           "parallel edges, self-loops and n = 1.",
    acceptable="Correct Dijkstra with an O(n^2) node selection, or Bellman-Ford that passes the "
               "small tests, with an accurate statement of its complexity.",
    weak="BFS by hop count, DFS over all paths, or forgets to report -1 for unreachable nodes.",
    ref=_delay,
    cases=[("example", "4 4 2\n2 1 1\n2 3 1\n3 4 1\n1 4 5\n", True, 1),
           ("unreachable", "3 1 1\n1 2 4\n", True, 1),
           ("single node", "1 0 1\n", False, 1),
           ("parallel edges", "2 3 1\n1 2 9\n1 2 3\n2 2 1\n", False, 1),
           ("longer path is faster", "4 4 1\n1 4 100\n1 2 10\n2 3 10\n3 4 10\n", False, 1),
           ("large mesh", _delay_big(13, True), False, 2),
           ("large mesh with islands", _delay_big(14, False), False, 2)],
    hint="Input: \"n m k\", then m lines \"u v w\".\n"
         "Output: the time the last node gets the change, or -1.",
    py='''import sys


def propagation_time(n, k, links):
    # links: list of (u, v, w); TODO: return the max shortest time from k, or -1
    return -1


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    n, m, k = map(int, lines[0].split())
    links = [tuple(map(int, line.split())) for line in lines[1 : m + 1]]
    print(propagation_time(n, k, links))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const [n, m, k] = lines[0].split(" ").map(Number);
const links = lines.slice(1, m + 1).map((l) => l.split(" ").map(Number));

function propagationTime(n, k, links) {
  // TODO: return the max shortest time from k, or -1
  return -1;
}

console.log(propagationTime(n, k, links));
''')


# =============================================================================================
# 11. Count islands (stdin)
# =============================================================================================

def _islands(text):
    lines = text.split("\n")
    R, C = map(int, lines[0].split())
    g = [list(lines[1 + r]) for r in range(R)]
    count = 0
    for r in range(R):
        for c in range(C):
            if g[r][c] == "1":
                count += 1
                g[r][c] = "0"
                dq = deque([(r, c)])
                while dq:
                    a, b = dq.popleft()
                    for da, db in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                        x, y = a + da, b + db
                        if 0 <= x < R and 0 <= y < C and g[x][y] == "1":
                            g[x][y] = "0"
                            dq.append((x, y))
    return lines_of(count)


def _islands_big(seed, p):
    r = random.Random(seed)
    R, C = 120, 150
    return lines_of(f"{R} {C}", *("".join("1" if r.random() < p else "0" for _ in range(C))
                                  for _ in range(R)))


challenge(
    "starter:coding-count-islands", "Count the islands on a map",
    difficulty="easy", minutes=20, skills=["algorithms"],
    seniorities=["intern", "junior"], categories=["engineering"], io="stdin_stdout",
    prompt="""A map is a grid of `1` (land) and `0` (water). An island is a group of land cells
connected horizontally or vertically (not diagonally). Count the islands.

**Input:** the first line is `R C` (1 <= R, C <= 1000); then `R` lines of `C` characters `0`/`1`.

**Output:** the number of islands.

Example input:
```
4 5
11000
11010
00100
00011
```
Example output:
```
4
```""",
    strong="Scan every cell; on unvisited land start a BFS/iterative DFS (or union-find) that "
           "marks the whole island, O(R x C). Notes that recursive DFS can overflow the stack on "
           "a 1000x1000 all-land map and avoids it; checks diagonal cells are not connected.",
    acceptable="Correct recursive DFS that would overflow on the largest inputs, with the "
               "candidate recognising the risk when asked.",
    weak="Counts land cells or connects diagonals; revisits cells without marking them "
         "(exponential or infinite loop).",
    ref=_islands,
    cases=[("example", "4 5\n11000\n11010\n00100\n00011\n", True, 1),
           ("diagonals are separate", "3 3\n101\n010\n101\n", True, 1),
           ("all water", "2 2\n00\n00\n", False, 1),
           ("single cell land", "1 1\n1\n", False, 1),
           ("large sparse map", _islands_big(15, 0.3), False, 2),
           ("large dense map", _islands_big(16, 0.62), False, 2)],
    hint="Input: \"R C\", then R rows of 0/1.\nOutput: the number of islands.",
    py='''import sys


def count_islands(grid):
    # grid: list of strings of "0"/"1"; TODO: return the number of islands
    return 0


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    rows, _cols = map(int, lines[0].split())
    print(count_islands(lines[1 : rows + 1]))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const [rows] = lines[0].split(" ").map(Number);

function countIslands(grid) {
  // grid: array of strings of "0"/"1"; TODO: return the number of islands
  return 0;
}

console.log(countIslands(lines.slice(1, rows + 1)));
''')


# =============================================================================================
# 12. Longest substring without repeats (stdin)
# =============================================================================================

def _longest_unique(text):
    s = text.split("\n")[0]
    last, best, lo = {}, 0, 0
    for i, c in enumerate(s):
        if last.get(c, -1) >= lo:
            lo = last[c] + 1
        last[c] = i
        best = max(best, i - lo + 1)
    return lines_of(best)


def _lu_big(seed, alphabet):
    r = random.Random(seed)
    return "".join(r.choice(alphabet) for _ in range(20000)) + "\n"


challenge(
    "starter:coding-longest-unique-substring", "Longest substring without repeated characters",
    difficulty="medium", minutes=20, skills=["algorithms"],
    seniorities=["junior", "mid"], categories=["engineering"], io="stdin_stdout",
    prompt="""Given a string, print the length of its longest substring (contiguous) in which no
character appears twice.

**Input:** one line of 1 to 100,000 printable ASCII characters (spaces count as characters).

**Output:** one integer.

Examples: `abcabcbb` gives `3` (`abc`), `bbbbb` gives `1`, `pwwkew` gives `3` (`wke`; `pwke` is
not contiguous).""",
    strong="Sliding window with the last index of each character; when the current character was "
           "seen inside the window, jump the left edge past it (never moving it backwards). O(n) "
           "time, O(alphabet) memory. Tests the `abba` case where a stale index lies left of the "
           "window.",
    acceptable="Sliding window with a set that shrinks one step at a time (still O(n)), or the "
               "jump version with the `abba` bug fixed after a test.",
    weak="Checks every substring (O(n^2) or O(n^3)) and times out on 100,000 characters; confuses "
         "substring with subsequence.",
    ref=_longest_unique,
    cases=[("example abcabcbb", "abcabcbb\n", True, 1),
           ("example pwwkew", "pwwkew\n", True, 1),
           ("single repeated", "bbbbb\n", False, 1),
           ("stale index", "abba\n", False, 1),
           ("spaces count", "a b c\n", False, 1),
           ("large text", _lu_big(17, "abcdefghijklmnopqrstuvwxyz0123456789"), False, 2),
           ("large binary", _lu_big(18, "01"), False, 1)],
    hint="Input: one line.\nOutput: the length of the longest substring without repeats.",
    py='''import sys


def longest_unique(s: str) -> int:
    # TODO: length of the longest substring with no repeated character
    return 0


if __name__ == "__main__":
    print(longest_unique(sys.stdin.read().split("\\n")[0]))
''',
    js='''const s = require("fs").readFileSync(0, "utf8").split("\\n")[0];

function longestUnique(s) {
  // TODO: length of the longest substring with no repeated character
  return 0;
}

console.log(longestUnique(s));
''')


# =============================================================================================
# 13. Sliding window maximum (stdin)
# =============================================================================================

def _swmax(text):
    lines = text.split("\n")
    n, k = map(int, lines[0].split())
    a = list(map(int, lines[1].split()))
    dq, out = deque(), []
    for i, x in enumerate(a):
        while dq and a[dq[-1]] <= x:
            dq.pop()
        dq.append(i)
        if dq[0] <= i - k:
            dq.popleft()
        if i >= k - 1:
            out.append(a[dq[0]])
    return lines_of(" ".join(map(str, out)))


def _swmax_big(seed, k):
    r = random.Random(seed)
    a = [r.randrange(-10**5, 10**5) for _ in range(3500)]
    return lines_of(f"{len(a)} {k}", " ".join(map(str, a)))


challenge(
    "starter:coding-peak-load-sliding-window", "Peak load over a sliding window",
    difficulty="hard", minutes=30, skills=["algorithms", "data-structures"],
    seniorities=["mid", "senior"], categories=["engineering"], io="stdin_stdout",
    prompt="""A capacity planner has per-second request counts and wants the peak of every window of
`k` consecutive seconds. Print the maximum of each window, from left to right.

**Input:** the first line is `n k` (1 <= k <= n <= 2 x 10^5); the second line holds `n` integers
(each in [-10^9, 10^9]).

**Output:** one line with `n - k + 1` integers separated by single spaces.

Example input:
```
8 3
1 3 -1 -3 5 3 6 7
```
Example output:
```
3 3 5 5 6 7
```
The hidden tests include large inputs: aim for better than O(n x k).""",
    strong="Monotonic deque of indices with decreasing values: pop smaller-or-equal values from the "
           "back, drop the front index when it leaves the window; O(n) total because each index "
           "enters and leaves once. Explains the amortized argument; mentions the heap with lazy "
           "deletion (O(n log n)) and a sparse table as alternatives.",
    acceptable="O(n log n) with a heap or balanced tree and correct lazy deletion; or the deque "
               "with a boundary bug fixed after tracing.",
    weak="Recomputes max over each window (O(n x k)) and cannot find a faster idea with hints.",
    ref=_swmax,
    cases=[("example", "8 3\n1 3 -1 -3 5 3 6 7\n", True, 1),
           ("k equals one", "4 1\n4 -2 9 0\n", True, 1),
           ("k equals n", "5 5\n2 8 -1 8 3\n", False, 1),
           ("decreasing", "6 2\n9 7 5 3 1 -1\n", False, 1),
           ("large k", _swmax_big(19, 1700), False, 2),
           ("small k", _swmax_big(20, 7), False, 2)],
    hint="Input: \"n k\", then n integers on one line.\nOutput: the n-k+1 window maxima on one line.",
    py='''import sys


def window_max(values, k):
    # TODO: return the list of maxima of each window of k consecutive values
    return []


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    _n, k = map(int, lines[0].split())
    values = list(map(int, lines[1].split()))
    print(" ".join(map(str, window_max(values, k))))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const [, k] = lines[0].split(" ").map(Number);
const values = lines[1].split(" ").filter(Boolean).map(Number);

function windowMax(values, k) {
  // TODO: return the maxima of each window of k consecutive values
  return [];
}

console.log(windowMax(values, k).join(" "));
''')


# =============================================================================================
# 14. Meeting rooms (json)
# =============================================================================================

def _rooms(d):
    ev = []
    for s, e in d["meetings"]:
        ev.append((s, 1))
        ev.append((e, -1))
    ev.sort(key=lambda x: (x[0], x[1]))  # ends (-1) before starts at the same time
    cur = best = 0
    for _, x in ev:
        cur += x
        best = max(best, cur)
    return best


def _rooms_big():
    r = random.Random(21)
    ms = []
    for _ in range(1500):
        s = r.randrange(0, 24 * 60 * 2)
        ms.append([s, s + r.choice([15, 30, 30, 45, 60, 90])])
    return {"meetings": ms}


challenge(
    "starter:coding-minimum-meeting-rooms", "Minimum number of interview rooms",
    difficulty="medium", minutes=20, skills=["algorithms"],
    seniorities=["junior", "mid"], categories=["engineering"], io="json",
    prompt="""An interview day has meetings `[start, end]` (minutes, `start < end`). A meeting occupies
a room from `start` up to but not including `end`, so a meeting ending at 10 and one starting at 10
can share a room. Return the minimum number of rooms needed so that no two meetings in the same
room overlap.

**Input:** `{"meetings": [[0, 30], [5, 10], [15, 20]]}`

**Output:** `2`

Constraints: 0 <= number of meetings <= 10^4.""",
    strong="Sort starts and ends separately and sweep with two pointers, or sort by start and keep "
           "a min-heap of end times (pop while `heap[0] <= start`). O(n log n). Gets the "
           "end-equals-start tie right and returns 0 for no meetings; can explain the equivalence "
           "to the maximum number of simultaneous meetings.",
    acceptable="Correct heap or sweep solution with the tie handled only after a failing example.",
    weak="Greedy room assignment without a heap that is O(n^2), or treats touching meetings as "
         "overlapping; counts pairwise overlaps instead of simultaneous meetings.",
    ref=_rooms,
    cases=[("example", {"meetings": [[0, 30], [5, 10], [15, 20]]}, True, 1),
           ("back to back", {"meetings": [[9, 10], [10, 11], [11, 12]]}, True, 1),
           ("none", {"meetings": []}, False, 1),
           ("nested", {"meetings": [[1, 100], [2, 50], [3, 25], [4, 5], [60, 70]]}, False, 1),
           ("large day", _rooms_big(), False, 3)],
    py='''import json
import sys


def min_rooms(meetings):
    # TODO: minimum number of rooms; [start, end) intervals
    return 0


if __name__ == "__main__":
    print(json.dumps(min_rooms(json.load(sys.stdin)["meetings"])))
''',
    js='''const fs = require("fs");

function minRooms(meetings) {
  // TODO: minimum number of rooms; [start, end) intervals
  return 0;
}

console.log(JSON.stringify(minRooms(JSON.parse(fs.readFileSync(0, "utf8")).meetings)));
''',
    ts='''import * as fs from "fs";

function minRooms(meetings: Array<[number, number]>): number {
  // TODO: minimum number of rooms; [start, end) intervals
  return 0;
}

const data = JSON.parse(fs.readFileSync(0, "utf8")) as { meetings: Array<[number, number]> };
console.log(JSON.stringify(minRooms(data.meetings)));
''')


# =============================================================================================
# 15. Roman numerals (stdin)
# =============================================================================================

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _to_roman(n):
    s = ""
    for v, sym in _ROMAN:
        while n >= v:
            s += sym
            n -= v
    return s


def _roman(text):
    val = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    out = []
    for ln in text.split("\n"):
        ln = ln.strip()
        if not ln:
            continue
        total = 0
        for i, c in enumerate(ln):
            if i + 1 < len(ln) and val[c] < val[ln[i + 1]]:
                total -= val[c]
            else:
                total += val[c]
        out.append(total)
    return lines_of(*out)


challenge(
    "starter:coding-roman-numerals", "Convert Roman numerals to integers",
    difficulty="easy", minutes=15, skills=["algorithms"],
    seniorities=["intern", "junior"], categories=["engineering"], io="stdin_stdout",
    prompt="""Convert Roman numerals to integers. Symbols: `I`=1, `V`=5, `X`=10, `L`=50, `C`=100,
`D`=500, `M`=1000. A smaller symbol written before a larger one is subtracted (`IV`=4, `IX`=9,
`XL`=40, `XC`=90, `CD`=400, `CM`=900); otherwise values add up (`XII`=12, `MMXXIV`=2024).

**Input:** one numeral per line (1 to 1000 lines), each a valid numeral for a value in 1..3999.

**Output:** one integer per line.

Example input:
```
III
LVIII
MCMXCIV
```
Example output:
```
3
58
1994
```""",
    strong="Single left-to-right pass: subtract a symbol when the next one is larger, add it "
           "otherwise (or scan right to left keeping the previous value). O(length) per numeral, "
           "a lookup table rather than a chain of ifs, and small tests for each subtractive pair.",
    acceptable="Correct with a longer special-case approach (matching two-character pairs first), "
               "clearly organised.",
    weak="Adds all symbols (gets IV = 6) or hard-codes a few numerals; cannot explain the "
         "subtractive rule in code.",
    ref=_roman,
    cases=[("example", "III\nLVIII\nMCMXCIV\n", True, 1),
           ("subtractive pairs", "IV\nIX\nXL\nXC\nCD\nCM\n", True, 1),
           ("extremes", "I\nMMMCMXCIX\n", False, 1),
           ("every value", lines_of(*(_to_roman(n) for n in range(1, 4000, 7))), False, 2)],
    hint="Input: one Roman numeral per line.\nOutput: its integer value per line.",
    py='''import sys


def roman_to_int(numeral: str) -> int:
    # TODO: convert a valid Roman numeral (1..3999)
    return 0


if __name__ == "__main__":
    rows = [line.strip() for line in sys.stdin.read().split("\\n") if line.strip()]
    print("\\n".join(str(roman_to_int(r)) for r in rows))
''',
    js='''const rows = require("fs").readFileSync(0, "utf8").split("\\n").map((l) => l.trim()).filter(Boolean);

function romanToInt(numeral) {
  // TODO: convert a valid Roman numeral (1..3999)
  return 0;
}

console.log(rows.map(romanToInt).join("\\n"));
''')


# =============================================================================================
# 16. Run-length encoding (stdin)
# =============================================================================================

def _rle(text):
    mode, s = text.split("\n")[:2]
    if mode == "encode":
        out, i = [], 0
        while i < len(s):
            j = i
            while j < len(s) and s[j] == s[i]:
                j += 1
            out.append(f"{j - i}{s[i]}")
            i = j
        return lines_of("".join(out))
    return lines_of("".join(c * int(n) for n, c in re.findall(r"(\d+)([A-Za-z])", s)))


def _rle_big():
    r = random.Random(22)
    return "encode\n" + "".join(r.choice("abAB") * r.randrange(1, 30) for _ in range(1000)) + "\n"


challenge(
    "starter:coding-run-length-encoding", "Run-length encode and decode",
    difficulty="easy", minutes=15, skills=["algorithms"],
    seniorities=["intern", "junior"], categories=["engineering"], io="stdin_stdout",
    prompt="""Run-length encoding replaces each maximal run of the same letter by the run length
followed by the letter: `aaabccdddd` becomes `3a1b2c4d`. Implement both directions.

**Input:** two lines. The first is `encode` or `decode`. The second is the text: for `encode`,
1 to 100,000 ASCII letters (case-sensitive: `a` and `A` are different); for `decode`, a valid
encoding (counts may have several digits, e.g. `12x`) whose decoded length is at most 100,000.

**Output:** the encoded or decoded text on one line.

Example: `encode` / `aaabccdddd` gives `3a1b2c4d`; `decode` / `12x1Y` gives `xxxxxxxxxxxxY`.""",
    strong="Encode with one pass tracking the run start; decode by accumulating digits into a "
           "number until a letter. Builds output with a list/StringBuilder join, not repeated "
           "string concatenation in a loop. Handles multi-digit counts and case; mentions that a "
           "format with digits in the data would need escaping.",
    acceptable="Correct in both directions, with a multi-digit count bug fixed after testing, or "
               "quadratic string building without noticing.",
    weak="Decodes single-digit counts only, merges `a` and `A`, or loses the last run.",
    ref=_rle,
    cases=[("encode example", "encode\naaabccdddd\n", True, 1),
           ("decode example", "decode\n12x1Y\n", True, 1),
           ("case sensitive", "encode\naAAa\n", False, 1),
           ("long run", "encode\n" + "z" * 12345 + "\n", False, 1),
           ("decode large", "decode\n" + "".join(f"{i % 97 + 1}{'abcXYZ'[i % 6]}" for i in range(600)) + "\n",
            False, 2),
           ("encode large", _rle_big(), False, 2)],
    hint="Input: \"encode\" or \"decode\", then the text.\nOutput: the result on one line.",
    py='''import sys


def encode(text: str) -> str:
    # TODO: "aaab" -> "3a1b"
    return ""


def decode(code: str) -> str:
    # TODO: "3a1b" -> "aaab" (counts may have several digits)
    return ""


if __name__ == "__main__":
    mode, text = sys.stdin.read().split("\\n")[:2]
    print(encode(text) if mode == "encode" else decode(text))
''',
    js='''const [mode, text] = require("fs").readFileSync(0, "utf8").split("\\n");

function encode(text) {
  // TODO: "aaab" -> "3a1b"
  return "";
}

function decode(code) {
  // TODO: "3a1b" -> "aaab" (counts may have several digits)
  return "";
}

console.log(mode === "encode" ? encode(text) : decode(text));
''')


# =============================================================================================
# 17. Expression evaluator (stdin)
# =============================================================================================

def _tdiv(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


_SAFE = 2 ** 53


def _eval_expr(s):
    """Recursive descent; asserts every intermediate value stays below 2^53 in magnitude."""
    toks = re.findall(r"\d+|[-+*/()]", s)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        pos[0] += 1
        return toks[pos[0] - 1]

    def expr():
        v = term()
        while peek() in ("+", "-"):
            op = take()
            rhs = term()
            v = checked(v + rhs if op == "+" else v - rhs)
        return v

    def term():
        v = factor()
        while peek() in ("*", "/"):
            op = take()
            rhs = factor()
            v = checked(v * rhs if op == "*" else _tdiv(v, rhs))
        return v

    def factor():
        t = take()
        if t == "-":
            return -factor()
        if t == "(":
            v = expr()
            take()
            return v
        return int(t)

    def checked(v):
        if abs(v) >= _SAFE:
            raise OverflowError(s)
        return v

    v = checked(expr())
    assert pos[0] == len(toks), s
    return v


def _calc(text):
    return lines_of(*(_eval_expr(ln) for ln in text.split("\n") if ln.strip()))


def _rand_expr(r, depth):
    if depth == 0 or r.random() < 0.25:
        n = str(r.randrange(0, 100))
        return ("-" + n) if r.random() < 0.1 else n
    a, b = _rand_expr(r, depth - 1), _rand_expr(r, depth - 1)
    op = r.choice("+-*/")
    if op == "/":
        # keep the divisor non-zero
        b = f"({b}) * 0 + {r.randrange(1, 9)}" if r.random() < 0.5 else str(r.randrange(1, 13))
        b = f"({b})"
    e = f"{a} {op} {b}"
    return f"({e})" if r.random() < 0.5 else e


def _calc_big():
    r = random.Random(23)
    rows = []
    while len(rows) < 200:
        e = _rand_expr(r, 6)
        try:
            _eval_expr(e)
        except (ZeroDivisionError, OverflowError):
            continue
        rows.append(e)
    return lines_of(*rows)


challenge(
    "starter:coding-arithmetic-expression-evaluator", "Evaluate arithmetic expressions",
    difficulty="hard", minutes=45, skills=["algorithms", "data-structures"],
    seniorities=["mid", "senior", "staff_plus"], categories=["engineering"], io="stdin_stdout",
    prompt="""Write an evaluator for integer arithmetic expressions, as a pricing-rules engine would
need. Do not call your language's `eval`.

Grammar: non-negative integer literals, binary `+ - * /`, parentheses, and unary minus (e.g.
`-3`, `-(2 + 1)`, `4 * -2`). `*` and `/` bind tighter than `+` and `-`; operators of the same
precedence are left-associative (`8 - 3 - 2` is 3). `/` is integer division that **truncates
toward zero** (`7 / 2` is 3, `-7 / 2` is -3). Spaces may appear anywhere between tokens. Inputs
never divide by zero, and every intermediate value is below 2^53 in absolute value (so it fits a
64-bit integer and is exact as a JavaScript number).

**Input:** one expression per line (up to 1000 lines, each up to 1000 characters).

**Output:** the value of each expression, one per line.

Example input:
```
1 + 2 * 3
(1 + 2) * 3
8 - 3 - 2
-7 / 2
2 * -(3 + 4)
```
Example output:
```
7
9
3
-3
-14
```""",
    strong="A tokenizer plus recursive descent (expr -> term (+|- term)*, term -> factor (*|/ "
           "factor)*, factor -> number | ( expr ) | - factor) or a shunting-yard with a separate "
           "unary-minus operator; left associativity and truncating division handled explicitly "
           "(floor division in Python and `Math.floor` in JS are wrong for negatives). Tests "
           "precedence, associativity, nested unary minus and whitespace; discusses how errors "
           "would be reported with positions.",
    acceptable="Working two-stack or recursive solution that misses one of: truncation toward "
               "zero, unary minus after an operator, or left associativity, and fixes it with a "
               "hint.",
    weak="Uses eval, evaluates strictly left to right ignoring precedence, or cannot structure "
         "the parser beyond special cases.",
    ref=_calc,
    cases=[("example", "1 + 2 * 3\n(1 + 2) * 3\n8 - 3 - 2\n-7 / 2\n2 * -(3 + 4)\n", True, 1),
           ("whitespace and nesting", "((2))\n  10/3*3 \n--4\n7 / -2\n100 - (2 - (3 - 4))\n", True, 1),
           ("division truncates", "-9 / 4\n9 / -4\n-9 / -4\n0 / 5\n", False, 1),
           ("left associative", "100 / 10 / 5\n2 - 3 + 4\n64 / 4 * 2\n", False, 1),
           ("large values", "9999999 * 9999999 - 1\n123456789 * 1000 / 7\n", False, 1),
           ("random expressions", _calc_big(), False, 3)],
    hint="Input: one expression per line (+ - * / parentheses, unary minus).\n"
         "Output: each value; / truncates toward zero.",
    py='''import sys


def evaluate(expression: str) -> int:
    # TODO: integer arithmetic with precedence, parentheses, unary minus;
    # "/" truncates toward zero (note: Python's // floors)
    return 0


if __name__ == "__main__":
    rows = [line for line in sys.stdin.read().split("\\n") if line.strip()]
    print("\\n".join(str(evaluate(r)) for r in rows))
''',
    js='''const rows = require("fs").readFileSync(0, "utf8").split("\\n").filter((l) => l.trim() !== "");

function evaluate(expression) {
  // TODO: integer arithmetic with precedence, parentheses, unary minus;
  // "/" truncates toward zero (Math.floor is wrong for negative results)
  return 0;
}

console.log(rows.map((r) => String(evaluate(r))).join("\\n"));
''')


# =============================================================================================
# 18. Running median (stdin)
# =============================================================================================

def _median(text):
    lines = text.split("\n")
    n = int(lines[0])
    a = list(map(int, lines[1].split()))[:n]
    lo, hi, out = [], [], []  # lo: max-heap (negated), hi: min-heap
    for x in a:
        if not lo or x <= -lo[0]:
            heapq.heappush(lo, -x)
        else:
            heapq.heappush(hi, x)
        if len(lo) > len(hi) + 1:
            heapq.heappush(hi, -heapq.heappop(lo))
        elif len(hi) > len(lo):
            heapq.heappush(lo, -heapq.heappop(hi))
        out.append(-lo[0])
    return lines_of(" ".join(map(str, out)))


def _median_big(seed):
    r = random.Random(seed)
    a = [r.randrange(-10**6, 10**6) for _ in range(3000)]
    return lines_of(len(a), " ".join(map(str, a)))


challenge(
    "starter:coding-running-median-latency", "Running median of response times",
    difficulty="hard", minutes=30, skills=["algorithms", "data-structures"],
    seniorities=["mid", "senior"], categories=["engineering", "data"], io="stdin_stdout",
    prompt="""A dashboard shows the median response time so far after each new sample. After each of
the `n` samples print the median of all samples seen so far. With an even count `c`, print the
lower median: the element at 1-based position `c / 2` in sorted order.

**Input:** the first line is `n` (1 <= n <= 2 x 10^5); the second line holds `n` integers.

**Output:** one line with `n` integers separated by single spaces.

Example input:
```
6
5 15 1 3 8 7
```
Example output:
```
5 5 5 3 5 5
```
Aim for better than re-sorting after every sample.""",
    strong="Two heaps: a max-heap of the lower half and a min-heap of the upper half, rebalanced so "
           "the lower half has the same size or one more; the median is the top of the lower half. "
           "O(log n) per sample. Explains the invariant, handles duplicates and negatives, and "
           "discusses what changes for a sliding-window median or approximate quantiles at scale.",
    acceptable="Two-heap idea with a rebalancing bug found by testing, or an insertion into a "
               "sorted list with binary search (O(n) per insert) with the cost stated honestly.",
    weak="Sorts the whole prefix for every sample (O(n^2 log n)) and has no better idea.",
    ref=_median,
    cases=[("example", "6\n5 15 1 3 8 7\n", True, 1),
           ("single sample", "1\n42\n", True, 1),
           ("duplicates", "5\n2 2 2 1 3\n", False, 1),
           ("descending", "6\n10 9 8 7 6 5\n", False, 1),
           ("large stream", _median_big(24), False, 3)],
    hint="Input: n, then n integers on one line.\nOutput: the n running (lower) medians on one line.",
    py='''import sys


class RunningMedian:
    def __init__(self) -> None:
        pass  # TODO

    def add(self, x: int) -> int:
        # TODO: add x and return the (lower) median of all values so far
        return 0


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    values = list(map(int, lines[1].split()))
    rm = RunningMedian()
    print(" ".join(str(rm.add(x)) for x in values))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const values = lines[1].split(" ").filter(Boolean).map(Number);

// TODO: JavaScript has no built-in heap; write a small one.
function runningMedians(values) {
  // return the (lower) median after each value
  return [];
}

console.log(runningMedians(values).join(" "));
''')


# =============================================================================================
# 19. Flatten a nested config (json)
# =============================================================================================

def _flatten(d):
    out = {}

    def walk(v, path):
        if isinstance(v, dict) and v:
            for k, x in v.items():
                walk(x, f"{path}.{k}" if path else k)
        elif isinstance(v, list) and v:
            for i, x in enumerate(v):
                walk(x, f"{path}.{i}" if path else str(i))
        else:
            out[path] = v

    walk(d["config"], "")
    return out


def _flatten_big():
    r = random.Random(25)

    def gen(depth):
        if depth == 0 or r.random() < 0.3:
            return r.choice([r.randrange(1000), "v" + str(r.randrange(99)), True, None, 1.5, [], {}])
        if r.random() < 0.3:
            return [gen(depth - 1) for _ in range(r.randrange(1, 4))]
        return {f"k{r.randrange(50)}": gen(depth - 1) for _ in range(r.randrange(1, 5))}

    return {"config": {f"section{i}": gen(5) for i in range(25)}}


challenge(
    "starter:coding-flatten-nested-config", "Flatten a nested configuration document",
    difficulty="medium", minutes=20, skills=["algorithms", "data-structures"],
    seniorities=["junior", "mid"], categories=["engineering"], io="json",
    prompt="""A deployment tool stores configuration as nested JSON but its key-value store needs flat
keys. Flatten the object under `"config"`:

- object keys are joined with `.` (`{"db": {"port": 5432}}` gives `"db.port": 5432`),
- array elements use their index as the key segment (`{"hosts": ["a", "b"]}` gives
  `"hosts.0": "a"`, `"hosts.1": "b"`),
- scalars (strings, numbers, booleans, `null`) are kept as they are,
- an **empty** object or array is kept as the value at its path (`{"tags": []}` gives `"tags": []`).

Keys never contain `.`. If `"config"` itself is an empty object, the result is `{"": {}}`.

**Input:** `{"config": {"db": {"host": "pg", "ports": [5432, 5433]}, "debug": false, "extra": {}}}`

**Output** (key order does not matter):
`{"db.host": "pg", "db.ports.0": 5432, "db.ports.1": 5433, "debug": false, "extra": {}}`""",
    strong="A recursive (or explicit-stack) walk carrying the path prefix, distinguishing objects, "
           "arrays, empty containers and scalars; keeps `null` and `false` (no truthiness bugs). "
           "Mentions recursion depth limits on hostile input and what would break if keys could "
           "contain `.` (escaping), and how to unflatten.",
    acceptable="Correct for objects and scalars, with arrays or empty containers needing a second "
               "pass after reading the spec again.",
    weak="Drops `false`, `0` or `null` values through truthiness checks, stringifies arrays, or "
         "loses keys at depth greater than two.",
    ref=_flatten,
    cases=[("example", {"config": {"db": {"host": "pg", "ports": [5432, 5433]}, "debug": False, "extra": {}}},
            True, 1),
           ("arrays of objects", {"config": {"servers": [{"name": "a", "tags": []}, {"name": "b"}]}}, True, 1),
           ("falsy values kept", {"config": {"a": 0, "b": False, "c": None, "d": "", "e": {"f": None}}}, False, 1),
           ("empty root", {"config": {}}, False, 1),
           ("nested arrays", {"config": {"m": [[1, 2], [], [[3]]]}}, False, 1),
           ("large document", _flatten_big(), False, 2)],
    py='''import json
import sys


def flatten(config):
    # TODO: return {"a.b.0": value, ...} following the rules in the prompt
    return {}


if __name__ == "__main__":
    print(json.dumps(flatten(json.load(sys.stdin)["config"])))
''',
    js='''const fs = require("fs");

function flatten(config) {
  // TODO: return {"a.b.0": value, ...} following the rules in the prompt
  return {};
}

console.log(JSON.stringify(flatten(JSON.parse(fs.readFileSync(0, "utf8")).config)));
''',
    ts='''import * as fs from "fs";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function flatten(config: { [key: string]: Json }): { [key: string]: Json } {
  // TODO: return {"a.b.0": value, ...} following the rules in the prompt
  return {};
}

const data = JSON.parse(fs.readFileSync(0, "utf8")) as { config: { [key: string]: Json } };
console.log(JSON.stringify(flatten(data.config)));
''')


# =============================================================================================
# 20. Semantic version sort (stdin)
# =============================================================================================

def _semver_key(v):
    core, _, pre = v.partition("-")
    nums = tuple(int(x) for x in core.split("."))
    if not pre:
        return (nums, 1, ())
    ids = []
    for p in pre.split("."):
        ids.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return (nums, 0, tuple(ids))


def _semver(text):
    vs = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return lines_of(*sorted(vs, key=_semver_key))


def _semver_big():
    r = random.Random(26)
    pres = ["", "", "", "alpha", "alpha.1", "alpha.beta", "beta", "beta.2", "beta.11", "rc.1",
            "rc.10", "1", "2", "10", "rc.1.x", "0.3.7", "x-y"]
    out = []
    for _ in range(1500):
        v = f"{r.randrange(3)}.{r.randrange(12)}.{r.randrange(12)}"
        p = r.choice(pres)
        out.append(v + ("-" + p if p else ""))
    return lines_of(*out)


challenge(
    "starter:coding-semantic-version-sort", "Sort release versions by semantic versioning",
    difficulty="medium", minutes=25, skills=["algorithms"],
    seniorities=["junior", "mid"], categories=["engineering"], io="stdin_stdout",
    prompt="""A release dashboard lists versions in Semantic Versioning 2.0 order. Sort them ascending.

Each version is `MAJOR.MINOR.PATCH` with an optional pre-release: `-` followed by dot-separated
identifiers of `[0-9A-Za-z-]`. Precedence:

1. Compare MAJOR, MINOR, PATCH numerically (`1.10.0` > `1.9.0`).
2. With equal numbers, a version **with** a pre-release is lower than one without
   (`1.0.0-rc.1` < `1.0.0`).
3. Two pre-releases compare identifier by identifier: numeric identifiers (digits only) compare
   numerically; others compare in ASCII order; a numeric identifier is lower than a non-numeric
   one; if all shared identifiers are equal, the one with fewer identifiers is lower.

There are no leading zeros and no build metadata (`+...`). Duplicates are kept.

**Input:** one version per line (up to 10^4 lines). **Output:** the versions sorted, one per line.

Example input:
```
1.0.0
1.0.0-rc.1
1.0.0-alpha
1.0.0-alpha.1
1.0.0-beta.11
1.0.0-beta.2
0.9.12
```
Example output:
```
0.9.12
1.0.0-alpha
1.0.0-alpha.1
1.0.0-beta.2
1.0.0-beta.11
1.0.0-rc.1
1.0.0
```""",
    strong="Parses each version once into a comparable key (numbers as integers, a flag for "
           "release vs pre-release, identifiers tagged numeric/non-numeric) and sorts with it, "
           "O(n log n). Gets all four pre-release rules, including `alpha` < `alpha.1` and numeric "
           "< alphanumeric; notes that string comparison of `1.10.0` vs `1.9.0` is the classic bug "
           "and that hyphens may appear inside identifiers (`x-y`).",
    acceptable="A comparator that handles the numeric core and the release-beats-pre-release rule "
               "but needs a hint on one pre-release rule.",
    weak="Sorts the strings lexicographically or splits on `.` and compares as strings; ignores "
         "pre-releases.",
    ref=_semver,
    cases=[("example", "1.0.0\n1.0.0-rc.1\n1.0.0-alpha\n1.0.0-alpha.1\n1.0.0-beta.11\n1.0.0-beta.2\n0.9.12\n",
            True, 1),
           ("numeric core", "1.10.0\n1.9.0\n1.9.10\n1.9.9\n10.0.0\n2.0.0\n", True, 1),
           ("numeric below alphanumeric", "1.0.0-alpha\n1.0.0-1\n1.0.0-x-y\n1.0.0-0.3.7\n1.0.0-alpha.beta\n",
            False, 1),
           ("duplicates kept", "0.1.0\n0.1.0-rc.1\n0.1.0\n", False, 1),
           ("many versions", _semver_big(), False, 3)],
    hint="Input: one version per line.\nOutput: the versions in SemVer 2.0 order, one per line.",
    py='''import sys


def semver_key(version: str):
    # TODO: return a value that sorts versions in SemVer 2.0 precedence order
    return version


if __name__ == "__main__":
    rows = [line.strip() for line in sys.stdin.read().split("\\n") if line.strip()]
    print("\\n".join(sorted(rows, key=semver_key)))
''',
    js='''const rows = require("fs").readFileSync(0, "utf8").split("\\n").map((l) => l.trim()).filter(Boolean);

function compareSemver(a, b) {
  // TODO: negative when a < b in SemVer 2.0 precedence, positive when a > b, 0 when equal
  return a < b ? -1 : a > b ? 1 : 0;
}

console.log(rows.sort(compareSemver).join("\\n"));
''')


# =============================================================================================
# 21. Idempotent payments ledger (stdin)
# =============================================================================================

def _ledger(text):
    bal = defaultdict(int)
    seen = {}
    dup = conf = rej = 0
    for ln in text.split("\n"):
        if not ln.strip():
            continue
        key, acct, amt = ln.split()
        amt = int(amt)
        if key in seen:
            if seen[key] == (acct, amt):
                dup += 1
            else:
                conf += 1
            continue
        seen[key] = (acct, amt)
        bal[acct] += 0
        if bal[acct] + amt < 0:
            rej += 1
        else:
            bal[acct] += amt
    out = [f"{a} {bal[a]}" for a in sorted(bal)]
    out.append(f"duplicates={dup} conflicts={conf} rejected={rej}")
    return lines_of(*out)


def _ledger_big():
    r = random.Random(27)
    rows, sent = [], []
    for i in range(1500):
        if sent and r.random() < 0.15:
            k, a, m = r.choice(sent)
            if r.random() < 0.2:
                m += 1
            rows.append(f"{k} {a} {m}")
            continue
        k = f"req-{i:05d}"
        a = f"acct{r.randrange(15):02d}"
        m = r.randrange(1, 50000) if r.random() < 0.55 else -r.randrange(1, 60000)
        sent.append((k, a, m))
        rows.append(f"{k} {a} {m}")
    return lines_of(*rows)


challenge(
    "starter:coding-idempotent-payment-ledger", "Idempotent payment ledger",
    difficulty="medium", minutes=30, skills=["algorithms", "distributed-systems"],
    seniorities=["mid", "senior", "staff_plus"], categories=["engineering"], io="stdin_stdout",
    prompt="""Clients of a payments API retry requests after timeouts, so the ledger must apply each
request at most once. Every request carries a client-chosen idempotency key. Process the requests
in order:

- A **new** key: record the key with its `(account, amount)`. A positive amount is a deposit; a
  negative amount is a withdrawal and is **rejected** if it would make the balance negative (the
  key stays recorded with its payload, and the balance does not change). Accounts start at 0.
- A key seen before with the **same** account and amount: a **duplicate**, nothing changes
  (a retry of a rejected request stays rejected and is counted as a duplicate, not again as rejected).
- A key seen before with a **different** account or amount: a **conflict**, nothing changes.

**Input:** up to 10^5 lines `idempotency_key account amount` (amount is a non-zero integer in cents).

**Output:** one line `account balance` per account that appeared in an accepted or rejected
request (not only in duplicates or conflicts), sorted by account name; then the line
`duplicates=D conflicts=C rejected=R`.

Example input:
```
k1 alice 5000
k2 alice -2000
k2 alice -2000
k3 bob -100
k2 alice -3000
k4 bob 700
```
Example output:
```
alice 3000
bob 700
duplicates=1 conflicts=1 rejected=1
```
Afterwards, be ready to discuss how a real service would store the keys.""",
    strong="A map from key to the stored payload (and outcome), checked before touching balances; "
           "O(1) per request. Gets the rejected-then-retried case right. In discussion: store the "
           "key and the ledger entry in one database transaction (unique constraint on the key, "
           "`INSERT ... ON CONFLICT`), return the stored response on a retry, key expiry, concurrent "
           "retries racing (lock or unique-violation handling), and storing a hash of the request "
           "body so a reused key with a different payload is refused (e.g. HTTP 422), never applied.",
    acceptable="Correct processing with a small slip in the counters fixed after testing, and a "
               "reasonable but incomplete storage discussion (e.g. a cache of keys without "
               "transactional coupling to the ledger write).",
    weak="Deduplicates by (account, amount) instead of the key, applies conflicts, or treats a "
         "retry of a rejected withdrawal as a new attempt; no sense of why idempotency matters.",
    ref=_ledger,
    cases=[("example", "k1 alice 5000\nk2 alice -2000\nk2 alice -2000\nk3 bob -100\nk2 alice -3000\nk4 bob 700\n",
            True, 1),
           ("rejected then retried", "a acc -5\na acc -5\nb acc 10\na acc -5\n", True, 1),
           ("conflict on account", "x one 100\nx two 100\n", False, 1),
           ("exact balance to zero", "d1 z 250\nw1 z -250\nw2 z -1\n", False, 1),
           ("high traffic", _ledger_big(), False, 3)],
    hint="Input: lines \"idempotency_key account amount\".\n"
         "Output: \"account balance\" per account (sorted), then \"duplicates=D conflicts=C rejected=R\".",
    py='''import sys


def process(requests):
    # requests: list of (key, account, amount)
    # TODO: return (balances dict, duplicates, conflicts, rejected)
    return {}, 0, 0, 0


def main() -> None:
    rows = [line.split() for line in sys.stdin.read().split("\\n") if line.strip()]
    balances, dup, conf, rej = process([(k, a, int(m)) for k, a, m in rows])
    for account in sorted(balances):
        print(account, balances[account])
    print(f"duplicates={dup} conflicts={conf} rejected={rej}")


if __name__ == "__main__":
    main()
''',
    js='''const rows = require("fs").readFileSync(0, "utf8").split("\\n").filter((l) => l.trim() !== "")
  .map((l) => l.split(" ")).map(([k, a, m]) => [k, a, Number(m)]);

function processRequests(rows) {
  // TODO: return { balances: Map(account -> balance), duplicates, conflicts, rejected }
  return { balances: new Map(), duplicates: 0, conflicts: 0, rejected: 0 };
}

const r = processRequests(rows);
const out = [...r.balances.keys()].sort().map((a) => `${a} ${r.balances.get(a)}`);
out.push(`duplicates=${r.duplicates} conflicts=${r.conflicts} rejected=${r.rejected}`);
console.log(out.join("\\n"));
''')


# =============================================================================================
# 22. Daily active and new users (stdin, data)
# =============================================================================================

def _dau(text):
    lines = [ln for ln in text.split("\n") if ln.strip()]
    by_day = defaultdict(set)
    first = {}
    for ln in lines[1:]:
        ts, user, _event = ln.split(",")
        day = ts[:10]
        by_day[day].add(user)
        if user not in first or day < first[user]:
            first[user] = day
    new = Counter(first.values())
    return lines_of(*(f"{d} {len(by_day[d])} {new[d]}" for d in sorted(by_day)))


def _dau_big():
    r = random.Random(28)
    rows = ["timestamp,user_id,event"]
    for _ in range(1000):
        d = r.randrange(1, 29)
        rows.append(f"2024-02-{d:02d}T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z,"
                    f"u{int(r.expovariate(1 / 80)) + d * 3},{r.choice(['view', 'click', 'apply', 'login'])}")
    head, body = rows[0], rows[1:]
    r.shuffle(body)
    return lines_of(head, *body)


challenge(
    "starter:coding-daily-active-and-new-users", "Daily active and new users from an event log",
    difficulty="medium", minutes=25, skills=["data-analysis", "sql"],
    seniorities=["junior", "mid"], categories=["data", "engineering"], io="stdin_stdout",
    prompt="""Product analytics wants two numbers per day from a raw event export: **DAU** (distinct
users with at least one event that day) and **new users** (users whose first-ever event in the
export falls on that day).

**Input:** CSV with the header `timestamp,user_id,event`, then up to 10^5 rows in **no particular
order**. Timestamps are UTC in the form `2024-03-01T10:15:00Z`; fields contain no commas.

**Output:** one line per day that has events, in date order: `YYYY-MM-DD dau new_users`.

Example input:
```
timestamp,user_id,event
2024-03-02T09:00:00Z,u2,view
2024-03-01T10:15:00Z,u1,login
2024-03-01T23:59:59Z,u1,view
2024-03-02T00:00:00Z,u1,apply
2024-03-01T12:00:00Z,u3,view
```
Example output:
```
2024-03-01 2 2
2024-03-02 2 1
```

Then explain how you would compute the same with SQL.""",
    strong="One pass: a set of users per day and the minimum day per user (the input is unsorted, "
           "so 'first seen while scanning' is wrong), then counts per day in date order. Notes the "
           "time-zone question (UTC day vs the customer's local day), late-arriving events "
           "changing historical 'new' counts, and gives SQL such as `COUNT(DISTINCT user_id) GROUP "
           "BY date` plus `MIN(date) OVER (PARTITION BY user_id)` or a first-seen CTE.",
    acceptable="Correct output but assumes sorted input until the example disproves it, or SQL "
               "that is close but double-counts new users.",
    weak="Counts events instead of distinct users, marks a user as new on every day they appear, "
         "or parses dates in local time.",
    ref=_dau,
    cases=[("example", "timestamp,user_id,event\n2024-03-02T09:00:00Z,u2,view\n2024-03-01T10:15:00Z,u1,login\n"
                       "2024-03-01T23:59:59Z,u1,view\n2024-03-02T00:00:00Z,u1,apply\n2024-03-01T12:00:00Z,u3,view\n",
            True, 1),
           ("single event", "timestamp,user_id,event\n2024-06-30T23:59:59Z,solo,login\n", True, 1),
           ("late first event", "timestamp,user_id,event\n2024-01-05T10:00:00Z,a,view\n"
                                "2024-01-03T10:00:00Z,a,view\n2024-01-05T11:00:00Z,b,view\n", False, 1),
           ("month boundary", "timestamp,user_id,event\n2024-01-31T23:00:00Z,a,x\n2024-02-01T01:00:00Z,a,x\n"
                              "2024-02-01T02:00:00Z,b,x\n", False, 1),
           ("large export", _dau_big(), False, 3)],
    hint="Input: CSV \"timestamp,user_id,event\" with a header, rows unsorted.\n"
         "Output: \"YYYY-MM-DD dau new_users\" per day in date order.",
    py='''import sys


def daily_stats(rows):
    # rows: list of (timestamp, user_id, event)
    # TODO: return [(day, dau, new_users), ...] in date order
    return []


def main() -> None:
    lines = [line for line in sys.stdin.read().split("\\n") if line.strip()]
    rows = [tuple(line.split(",")) for line in lines[1:]]
    for day, dau, new in daily_stats(rows):
        print(day, dau, new)


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n").filter((l) => l.trim() !== "");
const rows = lines.slice(1).map((l) => l.split(","));

function dailyStats(rows) {
  // TODO: return [[day, dau, newUsers], ...] in date order
  return [];
}

console.log(dailyStats(rows).map((r) => r.join(" ")).join("\\n"));
''')


# =============================================================================================
# 23. Sessionize clickstream (json, data)
# =============================================================================================

def _sessions(d):
    by = defaultdict(list)
    for e in d["events"]:
        by[e["user"]].append(e["ts"])
    out = {}
    for u in sorted(by):
        ts = sorted(by[u])
        ss = []
        for t in ts:
            if ss and t - ss[-1][1] <= d["timeout"]:
                ss[-1][1] = t
                ss[-1][2] += 1
            else:
                ss.append([t, t, 1])
        out[u] = ss
    return out


def _sessions_big():
    r = random.Random(29)
    ev = []
    for u in range(25):
        t = r.randrange(0, 10000)
        for _ in range(r.randrange(5, 60)):
            t += r.choice([5, 30, 60, 300, 900, 1800, 1801, 4000])
            ev.append({"user": f"user{u}", "ts": t})
    r.shuffle(ev)
    return {"timeout": 1800, "events": ev}


challenge(
    "starter:coding-sessionize-clickstream", "Sessionize a clickstream",
    difficulty="medium", minutes=25, skills=["data-analysis", "etl"],
    seniorities=["junior", "mid", "senior"], categories=["data", "engineering"], io="json",
    prompt="""Group each user's events into sessions: events of the same user belong to the same
session while the gap between consecutive events (in time order) is **at most** `timeout` seconds;
a larger gap starts a new session. Events arrive in no particular order and a user may have
several events with the same timestamp.

**Input:** `{"timeout": 1800, "events": [{"user": "u1", "ts": 100}, ...]}` (ts in seconds, up to
10^5 events).

**Output:** an object mapping each user to their sessions in time order, each session as
`[start_ts, end_ts, event_count]`.

Example input:
`{"timeout": 1800, "events": [{"user": "a", "ts": 4000}, {"user": "a", "ts": 100},
{"user": "b", "ts": 50}, {"user": "a", "ts": 1900}]}`

Example output: `{"a": [[100, 1900, 2], [4000, 4000, 1]], "b": [[50, 50, 1]]}`
(1900 - 100 = 1800 is within the timeout; 4000 - 1900 = 2100 is not.)""",
    strong="Groups by user, sorts each user's timestamps, splits where the gap exceeds the timeout "
           "(inclusive boundary right), O(n log n). Discusses how the same logic is written in SQL "
           "with `LAG()` and a running `SUM()` of new-session flags, and in a streaming job with "
           "session windows and watermarks for late events.",
    acceptable="Correct after fixing the unsorted-input or boundary issue with a test; SQL or "
               "streaming discussion only with prompting.",
    weak="Assumes the events are sorted, uses a global gap instead of per user, or splits on "
         "fixed 30-minute buckets.",
    ref=_sessions,
    cases=[("example", {"timeout": 1800, "events": [{"user": "a", "ts": 4000}, {"user": "a", "ts": 100},
                                                    {"user": "b", "ts": 50}, {"user": "a", "ts": 1900}]}, True, 1),
           ("same timestamp", {"timeout": 10, "events": [{"user": "x", "ts": 5}, {"user": "x", "ts": 5},
                                                         {"user": "x", "ts": 16}]}, True, 1),
           ("no events", {"timeout": 60, "events": []}, False, 1),
           ("boundary", {"timeout": 60, "events": [{"user": "u", "ts": 0}, {"user": "u", "ts": 60},
                                                   {"user": "u", "ts": 121}, {"user": "u", "ts": 181}]}, False, 1),
           ("large clickstream", _sessions_big(), False, 3)],
    py='''import json
import sys


def sessionize(timeout, events):
    # TODO: return {user: [[start, end, count], ...]} with sessions in time order
    return {}


if __name__ == "__main__":
    data = json.load(sys.stdin)
    print(json.dumps(sessionize(data["timeout"], data["events"])))
''',
    js='''const fs = require("fs");

function sessionize(timeout, events) {
  // TODO: return {user: [[start, end, count], ...]} with sessions in time order
  return {};
}

const data = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(sessionize(data.timeout, data.events)));
''',
    ts='''import * as fs from "fs";

type Event = { user: string; ts: number };
type Session = [number, number, number];

function sessionize(timeout: number, events: Event[]): Record<string, Session[]> {
  // TODO: return {user: [[start, end, count], ...]} with sessions in time order
  return {};
}

const data = JSON.parse(fs.readFileSync(0, "utf8")) as { timeout: number; events: Event[] };
console.log(JSON.stringify(sessionize(data.timeout, data.events)));
''')


# =============================================================================================
# 24. Union-find connectivity (stdin)
# =============================================================================================

def _uf(text):
    lines = text.split("\n")
    n, q = map(int, lines[0].split())
    parent = list(range(n))
    size = [1] * n
    comps = n

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    out = []
    for ln in lines[1:1 + q]:
        op, a, b = ln.split()
        ra, rb = find(int(a)), find(int(b))
        if op == "link":
            if ra != rb:
                if size[ra] < size[rb]:
                    ra, rb = rb, ra
                parent[rb] = ra
                size[ra] += size[rb]
                comps -= 1
        else:
            out.append("YES" if ra == rb else "NO")
    out.append(f"components={comps}")
    return lines_of(*out)


def _uf_big():
    r = random.Random(30)
    n = 1000
    ops = []
    for _ in range(2500):
        a, b = r.randrange(n), r.randrange(n)
        ops.append(f"{'link' if r.random() < 0.5 else 'query'} {a} {b}")
    return lines_of(f"{n} {len(ops)}", *ops)


challenge(
    "starter:coding-account-linking-union-find", "Link duplicate accounts and answer connectivity",
    difficulty="medium", minutes=30, skills=["algorithms", "data-structures"],
    seniorities=["mid", "senior"], categories=["engineering"], io="stdin_stdout",
    prompt="""A fraud team links accounts that share a device or a payment card. Links are transitive:
if A is linked to B and B to C, then A and C belong to the same group. Process operations online:

- `link a b`: record that accounts `a` and `b` are linked,
- `query a b`: print `YES` if `a` and `b` are in the same group now, else `NO`.

After all operations, print `components=K`, the number of groups (every account is in exactly
one group; an account with no links is a group of one).

**Input:** the first line is `n q` (accounts are numbered 0..n-1, 1 <= n <= 10^5,
1 <= q <= 2 x 10^5); then `q` operations, one per line.

**Output:** one line per `query`, then the `components=K` line.

Example input:
```
5 5
link 0 1
query 0 2
link 1 2
query 0 2
query 3 4
```
Example output:
```
NO
YES
NO
components=3
```""",
    strong="Disjoint-set union with path compression (or halving) and union by size/rank, nearly "
           "O(1) amortized per operation (inverse Ackermann); decrements the component count only "
           "when two different roots merge; iterative find to avoid recursion limits. Can explain "
           "why BFS per query is too slow, and that deleting links is not supported by plain DSU.",
    acceptable="DSU without one of the two optimizations (still passes in practice), with a correct "
               "explanation of the worst case; or a component-count slip on repeated links found "
               "by testing.",
    weak="Runs a BFS/DFS over the link graph for every query, or relabels whole groups on every "
         "link (O(n) per link), without seeing the cost.",
    ref=_uf,
    cases=[("example", "5 5\nlink 0 1\nquery 0 2\nlink 1 2\nquery 0 2\nquery 3 4\n", True, 1),
           ("repeated links", "3 4\nlink 0 1\nlink 1 0\nlink 0 0\nquery 1 1\n", True, 1),
           ("chain", "6 6\nlink 0 1\nlink 2 3\nlink 4 5\nlink 1 2\nlink 3 4\nquery 0 5\n", False, 1),
           ("many operations", _uf_big(), False, 3)],
    hint="Input: \"n q\", then q lines \"link a b\" or \"query a b\".\n"
         "Output: YES/NO per query, then \"components=K\".",
    py='''import sys


class DisjointSet:
    def __init__(self, n: int) -> None:
        self.components = n
        # TODO

    def find(self, x: int) -> int:
        return x  # TODO

    def union(self, a: int, b: int) -> None:
        pass  # TODO


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    n, q = map(int, lines[0].split())
    ds, out = DisjointSet(n), []
    for line in lines[1 : q + 1]:
        op, a, b = line.split()
        if op == "link":
            ds.union(int(a), int(b))
        else:
            out.append("YES" if ds.find(int(a)) == ds.find(int(b)) else "NO")
    out.append(f"components={ds.components}")
    print("\\n".join(out))


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const [n, q] = lines[0].split(" ").map(Number);

// TODO: disjoint-set state for n accounts
let components = n;
function find(x) {
  return x; // TODO
}
function union(a, b) {
  // TODO
}

const out = [];
for (let i = 1; i <= q; i++) {
  const [op, a, b] = lines[i].split(" ");
  if (op === "link") union(Number(a), Number(b));
  else out.push(find(Number(a)) === find(Number(b)) ? "YES" : "NO");
}
out.push(`components=${components}`);
console.log(out.join("\\n"));
''')


# =============================================================================================
# 25. Edit distance (stdin)
# =============================================================================================

def _edit(text):
    a, b = text.split("\n")[:2]
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return lines_of(prev[-1])


def _edit_big(seed):
    r = random.Random(seed)
    a = "".join(r.choice("acgt") for _ in range(900))
    b = list(a)
    for _ in range(150):
        k = r.randrange(len(b))
        op = r.random()
        if op < 0.33:
            b[k] = r.choice("acgt")
        elif op < 0.66:
            del b[k]
        else:
            b.insert(k, r.choice("acgt"))
    return lines_of(a, "".join(b))


challenge(
    "starter:coding-edit-distance", "Edit distance between two strings",
    difficulty="medium", minutes=30, skills=["algorithms"],
    seniorities=["mid", "senior"], categories=["engineering", "data"], io="stdin_stdout",
    prompt="""A search team wants "did you mean" suggestions. Compute the Levenshtein distance between
two strings: the minimum number of single-character insertions, deletions and substitutions that
turn the first into the second.

**Input:** two lines, each a string of 1 to 2,000 printable ASCII characters without newlines.

**Output:** one integer.

Examples: `kitten` / `sitting` gives `3`; `flaw` / `lawn` gives `2`; `abc` / `abc` gives `0`.""",
    strong="Dynamic programming over prefixes, `d[i][j] = min(d[i-1][j] + 1, d[i][j-1] + 1, "
           "d[i-1][j-1] + (a[i] != b[j]))`, with correct base rows; O(n x m) time and O(min(n, m)) "
           "memory using two rows. Explains the recurrence and mentions banded DP or BK-trees / "
           "n-gram indexes for searching a whole dictionary.",
    acceptable="Correct full-table DP (O(n x m) memory) or memoized recursion that passes, with "
               "the recurrence explained after some prompting.",
    weak="Plain recursion without memoization (exponential), or a heuristic like comparing "
         "characters position by position.",
    ref=_edit,
    cases=[("kitten sitting", "kitten\nsitting\n", True, 1),
           ("flaw lawn", "flaw\nlawn\n", True, 1),
           ("equal", "abc\nabc\n", False, 1),
           ("completely different", "aaaa\nbb\n", False, 1),
           ("one against many", "x\nxxxxxxxxxx\n", False, 1),
           ("long strings", _edit_big(31), False, 3)],
    hint="Input: two lines.\nOutput: the Levenshtein distance.",
    py='''import sys


def edit_distance(a: str, b: str) -> int:
    # TODO: minimum insertions, deletions and substitutions turning a into b
    return 0


if __name__ == "__main__":
    first, second = sys.stdin.read().split("\\n")[:2]
    print(edit_distance(first, second))
''',
    js='''const [a, b] = require("fs").readFileSync(0, "utf8").split("\\n");

function editDistance(a, b) {
  // TODO: minimum insertions, deletions and substitutions turning a into b
  return 0;
}

console.log(editDistance(a, b));
''')


# =============================================================================================
# 26. Autocomplete (stdin)
# =============================================================================================

def _autocomplete(text):
    lines = text.split("\n")
    n = int(lines[0])
    freq = Counter()
    for ln in lines[1:1 + n]:
        w, f = ln.split()
        freq[w] += int(f)
    q = int(lines[1 + n])
    words = sorted(freq)
    import bisect
    out = []
    for p in lines[2 + n:2 + n + q]:
        lo = bisect.bisect_left(words, p)
        cands = []
        for w in words[lo:]:
            if not w.startswith(p):
                break
            cands.append(w)
        best = sorted(cands, key=lambda w: (-freq[w], w))[:3]
        out.append(" ".join(best) if best else "-")
    return lines_of(*out)


def _ac_big():
    r = random.Random(32)
    syll = ["ka", "ro", "me", "ti", "sa", "lu", "ne", "po", "da", "vi"]
    words = []
    for _ in range(2000):
        w = "".join(r.choice(syll) for _ in range(r.randrange(1, 5)))
        words.append(f"{w} {r.randrange(1, 500)}")
    qs = ["".join(r.choice(syll) for _ in range(r.randrange(1, 4)))[: r.randrange(1, 7)] for _ in range(600)]
    return lines_of(len(words), *words, len(qs), *qs)


challenge(
    "starter:coding-search-autocomplete", "Search box autocomplete with frequencies",
    difficulty="medium", minutes=30, skills=["algorithms", "data-structures"],
    seniorities=["mid", "senior"], categories=["engineering"], io="stdin_stdout",
    prompt="""Build the suggestion logic of a search box. You get past search terms with their
frequencies, then prefixes typed by users. For each prefix, suggest up to 3 terms that start with
it: highest total frequency first, ties broken alphabetically. A term can appear on several lines;
its frequencies add up. A prefix that is itself a term matches that term.

**Input:** `N` (1 <= N <= 10^5), then `N` lines `term frequency` (lower-case letters, frequency
1..10^6); then `Q` (1 <= Q <= 10^5), then `Q` lines, each a prefix (lower-case letters, non-empty).

**Output:** one line per prefix: the suggestions separated by single spaces, or `-` if none.

Example input:
```
5
react 50
redis 50
rest 20
ruby 70
redis 10
3
re
ru
rx
```
Example output:
```
redis react rest
ruby
-
```""",
    strong="A trie whose nodes cache their top-3 (built once, O(total length x log 3)), or a "
           "sorted term list with binary search for the prefix range plus a top-3 selection; "
           "states per-query cost and memory trade-offs. Aggregates repeated terms first. Discusses "
           "how production autocomplete handles freshness (decayed counts), personalization and "
           "serving from memory at low latency.",
    acceptable="Correct with per-query scanning of the matching range (fine for the tests) and an "
               "honest statement of the worst case; or a trie without cached top-k.",
    weak="Scans all terms for every prefix with `startswith` and sorts everything per query; "
         "forgets to sum repeated terms or breaks ties arbitrarily.",
    ref=_autocomplete,
    cases=[("example", "5\nreact 50\nredis 50\nrest 20\nruby 70\nredis 10\n3\nre\nru\nrx\n", True, 1),
           ("prefix equals term", "3\ngo 5\ngolang 5\ngopher 9\n2\ngo\ngol\n", True, 1),
           ("ties alphabetical", "4\nbd 1\nbc 1\nbb 1\nba 1\n1\nb\n", False, 1),
           ("many terms", _ac_big(), False, 3)],
    hint="Input: N, N lines \"term frequency\", Q, Q prefixes.\n"
         "Output: up to 3 suggestions per prefix (or -).",
    py='''import sys


def build(terms):
    # terms: list of (term, frequency); TODO: build your index
    return None


def suggest(index, prefix):
    # TODO: up to 3 terms by total frequency desc, then alphabetically
    return []


def main() -> None:
    lines = sys.stdin.read().split("\\n")
    n = int(lines[0])
    terms = [(t, int(f)) for t, f in (line.split() for line in lines[1 : n + 1])]
    q = int(lines[n + 1])
    index = build(terms)
    for prefix in lines[n + 2 : n + 2 + q]:
        best = suggest(index, prefix)
        print(" ".join(best) if best else "-")


if __name__ == "__main__":
    main()
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const n = Number(lines[0]);
const terms = lines.slice(1, n + 1).map((l) => l.split(" ")).map(([t, f]) => [t, Number(f)]);
const q = Number(lines[n + 1]);
const prefixes = lines.slice(n + 2, n + 2 + q);

function build(terms) {
  // TODO: build your index
  return null;
}

function suggest(index, prefix) {
  // TODO: up to 3 terms by total frequency desc, then alphabetically
  return [];
}

const index = build(terms);
console.log(prefixes.map((p) => suggest(index, p)).map((s) => (s.length ? s.join(" ") : "-")).join("\\n"));
''')


# =============================================================================================
# 27. Coin change (stdin)
# =============================================================================================

def _coins(text):
    lines = text.split("\n")
    coins = list(map(int, lines[0].split()))
    amounts = list(map(int, lines[1].split()))
    top = max(amounts)
    INF = float("inf")
    dp = [0] + [INF] * top
    for a in range(1, top + 1):
        for c in coins:
            if c <= a and dp[a - c] + 1 < dp[a]:
                dp[a] = dp[a - c] + 1
    return lines_of(" ".join(str(dp[a]) if dp[a] != INF else "-1" for a in amounts))


challenge(
    "starter:coding-fewest-coins", "Fewest coins for an amount",
    difficulty="medium", minutes=25, skills=["algorithms"],
    seniorities=["junior", "mid"], categories=["engineering"], io="stdin_stdout",
    prompt="""A vending machine must return change with as few coins as possible. Coin denominations
are given and each can be used any number of times. For each amount, print the fewest coins that
sum to it exactly, or `-1` if the amount cannot be made. The amount 0 needs 0 coins.

**Input:** two lines. The first holds the denominations (1 to 20 distinct integers in 1..10^4).
The second holds the amounts (1 to 1000 integers in 0..10^5).

**Output:** one line with the answers separated by single spaces.

Example input:
```
1 5 10 25
30 7 0
```
Example output:
```
2 3 0
```
Careful: with coins `1 3 4`, greedy gives 6 = 4 + 1 + 1 (3 coins) but 3 + 3 is better.""",
    strong="Bottom-up DP over amounts up to the maximum query, `dp[a] = 1 + min(dp[a - c])`, "
           "computed once and reused for all queries: O(maxAmount x coins). Explains why greedy "
           "fails for non-canonical coin systems, and handles 0 and unreachable amounts.",
    acceptable="Correct DP recomputed per query (slower but passes), or memoized recursion with "
               "the recursion-depth risk acknowledged.",
    weak="Greedy largest-coin-first, or exhaustive recursion without memoization.",
    ref=_coins,
    cases=[("example", "1 5 10 25\n30 7 0\n", True, 1),
           ("greedy fails", "1 3 4\n6 7 8\n", True, 1),
           ("unreachable", "4 6\n1 2 3 5 7 12\n", False, 1),
           ("large amounts", "7 13 29 61 97\n" + " ".join(str(x) for x in random.Random(33).sample(range(0, 100000), 300)) + "\n",
            False, 3)],
    hint="Input: denominations on line 1, amounts on line 2.\n"
         "Output: fewest coins per amount (or -1), space-separated on one line.",
    py='''import sys


def fewest_coins(coins, amounts):
    # TODO: for each amount the fewest coins summing to it exactly, or -1
    return [-1 for _ in amounts]


if __name__ == "__main__":
    lines = sys.stdin.read().split("\\n")
    coins = list(map(int, lines[0].split()))
    amounts = list(map(int, lines[1].split()))
    print(" ".join(map(str, fewest_coins(coins, amounts))))
''',
    js='''const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const coins = lines[0].split(" ").filter(Boolean).map(Number);
const amounts = lines[1].split(" ").filter(Boolean).map(Number);

function fewestCoins(coins, amounts) {
  // TODO: for each amount the fewest coins summing to it exactly, or -1
  return amounts.map(() => -1);
}

console.log(fewestCoins(coins, amounts).join(" "));
''')


# =============================================================================================
# 28. Spiral order (json)
# =============================================================================================

def _spiral(d):
    m = [row[:] for row in d["matrix"]]
    out = []
    while m:
        out += m.pop(0)
        m = [list(x) for x in zip(*m)][::-1]
    return out


challenge(
    "starter:coding-spiral-matrix", "Read a matrix in spiral order",
    difficulty="easy", minutes=15, skills=["algorithms"],
    seniorities=["intern", "junior"], categories=["engineering"], io="json",
    prompt="""Return the elements of a rectangular matrix in clockwise spiral order, starting at the
top-left corner: along the top row, down the right column, back along the bottom row, up the left
column, then the same for the inner rectangle.

**Input:** `{"matrix": [[1, 2, 3], [4, 5, 6], [7, 8, 9]]}` (1 to 100 rows, all of equal length
1 to 100).

**Output:** `[1, 2, 3, 6, 9, 8, 7, 4, 5]`""",
    strong="Four boundaries (top, bottom, left, right) shrunk after each side, with checks that "
           "stop a single remaining row or column from being read twice; O(rows x cols). Tests "
           "1xN, Nx1 and non-square matrices.",
    acceptable="Correct for square matrices; fixes the single-row/column duplication after a test.",
    weak="Hard-codes the 3x3 case or repeats elements on non-square inputs; cannot reason about "
         "the loop bounds.",
    ref=_spiral,
    cases=[("example", {"matrix": [[1, 2, 3], [4, 5, 6], [7, 8, 9]]}, True, 1),
           ("wide", {"matrix": [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]}, True, 1),
           ("single row", {"matrix": [[1, 2, 3]]}, False, 1),
           ("single column", {"matrix": [[1], [2], [3]]}, False, 1),
           ("tall", {"matrix": [[r * 3 + c for c in range(3)] for r in range(7)]}, False, 1),
           ("large", {"matrix": [[r * 100 + c for c in range(60)] for r in range(45)]}, False, 2)],
    py='''import json
import sys


def spiral(matrix):
    # TODO: return the elements in clockwise spiral order
    return []


if __name__ == "__main__":
    print(json.dumps(spiral(json.load(sys.stdin)["matrix"])))
''',
    js='''const fs = require("fs");

function spiral(matrix) {
  // TODO: return the elements in clockwise spiral order
  return [];
}

console.log(JSON.stringify(spiral(JSON.parse(fs.readFileSync(0, "utf8")).matrix)));
''',
    ts='''import * as fs from "fs";

function spiral(matrix: number[][]): number[] {
  // TODO: return the elements in clockwise spiral order
  return [];
}

const data = JSON.parse(fs.readFileSync(0, "utf8")) as { matrix: number[][] };
console.log(JSON.stringify(spiral(data.matrix)));
''')


# =============================================================================================
# Building the item bodies
# =============================================================================================

def build_items():
    """Returns [(key, body)] with expected outputs computed by the reference solutions."""
    items = []
    for c in CHALLENGES:
        json_io = c["io"] == "json"
        langs = c["languages"] or (JSON_LANGS if json_io else STDIN_LANGS)
        starter = {"python": c["py"], "javascript": c["js"]}
        if "typescript" in langs:
            starter["typescript"] = c["ts"]
        if "java" in langs:
            starter["java"] = java_starter(c["hint"])
        if "go" in langs:
            starter["go"] = go_starter(c["hint"])
        if "cpp" in langs:
            starter["cpp"] = cpp_starter(c["hint"])
        cases = []
        for name, inp, visible, weight in c["cases"]:
            if json_io:
                out = c["ref"](json.loads(json.dumps(inp)))
                cases.append({"name": name, "input": json.dumps(inp, separators=(",", ":")),
                              "expected_output": json.dumps(out, separators=(",", ":")),
                              "visible": visible, "weight": weight})
            else:
                cases.append({"name": name, "input": inp, "expected_output": c["ref"](inp),
                              "visible": visible, "weight": weight})
        prompt = c["prompt"].strip()
        if json_io:
            prompt += ("\n\nYour program reads the input as one JSON document on standard input and prints "
                       "its answer as one JSON document; answers are compared as JSON values, so "
                       "whitespace and the order of object keys do not matter.")
        body = {
            "kind": "coding",
            "title": c["title"],
            "prompt": prompt,
            "rubric": {"strong": c["strong"], "acceptable": c["acceptable"], "weak": c["weak"]},
            "expected_minutes": c["minutes"],
            "difficulty": c["difficulty"],
            "skills": c["skills"],
            "seniorities": c["seniorities"],
            "categories": c["categories"],
            "coding": {"io": c["io"], "languages": langs, "starter_code": starter, "test_cases": cases},
        }
        items.append((c["key"], body))
    return items
