#!/usr/bin/env python3
"""Checks a report's DOM as Chromium rendered it (--dump-dom) against the
JSON output of the same run.  Usage:
    check_dom.py solve|simulate|sweep DOM.html REPORT.json
    check_dom.py png SCREENSHOT.png BLANK.png QUARTER-SCALE.png
Prints one line per failed check and exits 1 when any failed."""
import json
import struct
import sys
import zlib
from html.parser import HTMLParser

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    def all(self, tag=None, **want):
        for c in self.children:
            if (tag is None or c.tag == tag) and all(
                    c.attrs.get(k.replace("_", "-")) == v for k, v in want.items()):
                yield c
            yield from c.all(tag, **want)

    def cls(self, name):
        return name in self.attrs.get("class", "").split()

    def alltext(self):
        return self.text + "".join(c.alltext() for c in self.children)


VOID = {"meta", "br", "img", "link", "input", "hr", "col", "area", "base", "wbr"}


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text += data


def parse(path):
    t = Tree()
    with open(path, encoding="utf-8") as f:
        t.feed(f.read())
    return t.root


def charts(node, kind=None):
    return [s for s in node.all("svg") if s.cls("chart") and
            (kind is None or s.attrs.get("data-chart") == kind)]


def marks(chart, series=None):
    return [(r.attrs.get("data-category"), float(r.attrs["data-value"]))
            for r in chart.all("rect") if r.cls("bar") and
            (series is None or r.attrs.get("data-series") == series)]


def same(a, b):
    """Equal numbers: the page carries the exact double of the JSON."""
    return a == b or (a is not None and b is not None and abs(a - b) <= 1e-9 * max(1, abs(b)))


def french(dom, words):
    text = dom.alltext()
    for w in words:
        check(w in text, "French label missing: %r" % w)
    html = next(dom.all("html"), None)
    check(html is not None and html.attrs.get("lang") == "fr", "html lang is not fr")


def solve(dom, doc):
    groups = doc["groups"]
    sections = list(dom.all("section"))
    check(len(sections) == len(groups), "%d sections for %d groups" % (len(sections), len(groups)))
    expected = 0
    for i, g in enumerate(groups):
        sec = next((s for s in sections if s.attrs.get("data-specialty") == g["specialty"]), None)
        check(sec is not None, "no section for %s" % g["specialty"])
        if sec is None:
            continue
        check(len([p for p in sec.all("p") if p.cls("verdict")]) == 1,
              "%s: no verdict" % g["specialty"])
        p = g.get("pooled")
        if not p:
            check(not charts(sec), "%s: charts without a plan" % g["specialty"])
            continue
        expected += 2
        carry = next(sec.all("svg", id="carry-%d" % i), None)
        years = next(sec.all("svg", id="years-%d" % i), None)
        check(carry is not None and carry.attrs.get("data-chart") == "bars",
              "%s: no who-carries-what chart" % g["specialty"])
        check(years is not None and years.attrs.get("data-chart") == "years",
              "%s: no year-by-year chart" % g["specialty"])
        ind = {d["doctor"]: d for d in g["individual"]["doctors"]}
        if carry is not None:
            alone = dict(marks(carry, "Objectif individuel"))
            pooled = dict(marks(carry, "Part mutualisée"))
            for d in p["doctors"]:
                check(same(pooled.get(d["doctor"]), d["patients"]),
                      "%s: pooled share of %s is %s, JSON %s" %
                      (g["specialty"], d["doctor"], pooled.get(d["doctor"]), d["patients"]))
                check(same(alone.get(d["doctor"]), ind[d["doctor"]]["objective"]),
                      "%s: individual objective of %s is %s, JSON %s" %
                      (g["specialty"], d["doctor"], alone.get(d["doctor"]),
                       ind[d["doctor"]]["objective"]))
        if years is not None:
            n = len(p["aid_by_year"])
            aid = [v for _, v in marks(years, "Aide")]
            cost = [v for _, v in marks(years, "Coût de l'assistant")]
            value = [v for _, v in marks(years, "Valeur des nouveaux patients")]
            check(len(aid) == n and all(same(a, b) for a, b in zip(aid, p["aid_by_year"])),
                  "%s: aid by year %s, JSON %s" % (g["specialty"], aid, p["aid_by_year"]))
            check(len(cost) == n and all(same(c, p["cost"] / n) for c in cost),
                  "%s: cost by year %s, JSON %s / %d" % (g["specialty"], cost, p["cost"], n))
            check(len(value) == n and all(same(v, p["value"] / n) for v in value),
                  "%s: value by year %s, JSON %s / %d" % (g["specialty"], value, p["value"], n))
        for d in p["doctors"]:
            row = next(sec.all("tr", data_doctor=d["doctor"]), None)
            check(row is not None, "%s: no plan row for %s" % (g["specialty"], d["doctor"]))
            if row is None:
                continue
            cells = [float(c.attrs["data-value"]) for c in row.all("td") if "data-value" in c.attrs]
            for key in ("assistant_etp", "patients", "rate"):
                check(any(same(c, d[key]) for c in cells),
                      "%s: %s of %s (%s) not in its row" % (g["specialty"], key, d["doctor"], d[key]))
            check(any(same(c, ind[d["doctor"]]["net"]) for c in cells),
                  "%s: net alone of %s not in its row" % (g["specialty"], d["doctor"]))
    check(len(charts(dom)) == expected, "%d charts, expected %d" % (len(charts(dom)), expected))
    french(dom, ["Qui porte quoi", "Médecin", "Nouveaux patients", "Net seul", "Net mutualisé",
                 "Aide, coût et valeur par année de contrat"])


def simulate(dom, doc):
    check(len(charts(dom)) == 2, "%d charts, expected 2" % len(charts(dom)))
    aid = next(dom.all("svg", id="sim-years"), None)
    check(aid is not None, "no aid-by-year chart")
    if aid is not None:
        got = [v for _, v in marks(aid, "Aide")]
        due = [v for _, v in marks(aid, "Aide due après modulation")]
        check(got == [y["aid"] for y in doc["years"]], "aid by year %s" % got)
        check(due == [y["aid_due"] for y in doc["years"]], "aid due by year %s" % due)
    pat = next(dom.all("svg", id="sim-patients"), None)
    check(pat is not None, "no patients chart")
    if pat is not None:
        got = [v for _, v in marks(pat, "Patients atteints")]
        want = [y["patients"] for y in doc["years"] if y["patients"] is not None]
        check(got == want, "patients achieved %s, JSON %s" % (got, want))
    foot = [float(c.attrs["data-value"]) for t in dom.all("tfoot") for c in t.all("td")
            if "data-value" in c.attrs]
    check(foot == [doc["totals"]["aid"], doc["totals"]["aid_due"]], "totals %s" % foot)
    french(dom, ["Année", "Aide due", "Statut", "Aide par année de contrat"])


def scope_all(m):
    return next(s for s in m["scopes"] if s["scope"] == "all")


def sweep(dom, doc):
    want = {"bars": 1, "scatter": 1, "diverging": 1, "deciles": 1}
    for kind, n in want.items():
        check(len(charts(dom, kind)) == n, "%d %s charts, expected %d" %
              (len(charts(dom, kind)), kind, n))
    # The charts name the modalities M1, M2... in order; the table gives
    # each its full label.
    labels = ["M%d" % (i + 1) for i in range(len(doc))]
    rows = [[c.alltext() for c in r.all("td")] for t in dom.all("table")
            if t.cls("modalities") for r in t.all("tr")]
    rows = [r for r in rows if r]
    check([r[:2] for r in rows] == [[lab, m["modality"]] for lab, m in zip(labels, doc)],
          "modality table %s" % [r[:2] for r in rows])
    alls = [scope_all(m) for m in doc]
    bars = charts(dom, "bars")
    if bars:
        got = dict(marks(bars[0]))
        for lab, s in zip(labels, alls):
            e = s.get("euros_per_extra_patient", s.get("aid_per_new_patient"))
            if e is not None:
                check(same(got.get(lab), e), "euros per patient of %s: %s, JSON %s" %
                      (lab, got.get(lab), e))
    sc = charts(dom, "scatter")
    if sc:
        pts = {c.attrs.get("data-label"): (float(c.attrs["data-x"]), float(c.attrs["data-y"]))
               for c in sc[0].all("circle") if c.cls("point")}
        for lab, s in zip(labels, alls):
            if "delta" in s:
                x, y = s["delta"]["aid"], s["delta"]["patients"]
            else:
                x = s["pooled_aid"] - s["individual"]["aid"]
                y = s["new_patients"] - s["individual"]["new_patients"]
            check(lab in pts and same(pts[lab][0], x) and same(pts[lab][1], y),
                  "scatter point of %s: %s, JSON (%s, %s)" % (lab, pts.get(lab), x, y))
    dv = charts(dom, "diverging")
    if dv:
        rects = [(r.attrs.get("data-category"), r.attrs.get("data-series"),
                  float(r.attrs["data-value"])) for r in dv[0].all("rect") if r.cls("bar")]
        for lab, s in zip(labels, alls):
            win = round(s["share_gain"] * s["groups"])
            check((lab, "Groupes gagnants", win) in rects or win == 0,
                  "winners of %s: JSON %s, page %s" % (lab, win, rects))
    dc = charts(dom, "deciles")
    if dc:
        for lab, s in zip(labels, alls):
            got = [float(r.attrs["data-value"]) for r in dc[0].all("rect")
                   if r.cls("bar") and r.attrs.get("data-series") == lab]
            check(got == [float(v) for v in s["gain_deciles"]],
                  "deciles of %s: %s, JSON %s" % (lab, got, s["gain_deciles"]))
    french(dom, ["Les modalités côte à côte", "Modalité", "Gagnants et perdants",
                 "Déciles du gain"])


def png_colours(path):
    """Distinct pixel values of an 8-bit RGB or RGBA PNG (no filter library:
    zlib and the five PNG filters)."""
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    seen = set()
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            seen.add(bytes(line[x:x + 3]))
        prev = line
    return seen


def main():
    kind = sys.argv[1]
    if kind == "png":
        shot, blank, small = sys.argv[2:5]
        a, b = len(open(shot, "rb").read()), len(open(blank, "rb").read())
        check(a > 5 * b, "screenshot of %d bytes, a blank page's %d" % (a, b))
        # A blank page has one colour; text alone its grey ramp; the
        # charts' palette adds more.
        n = len(png_colours(small))
        check(n > 40, "screenshot looks blank: %d distinct colours" % n)
    else:
        dom = parse(sys.argv[2])
        with open(sys.argv[3], encoding="utf-8") as f:
            doc = json.load(f)
        {"solve": solve, "simulate": simulate, "sweep": sweep}[kind](dom, doc)
    for f in failures:
        print("    " + f)
    sys.exit(1 if failures else 0)


main()
