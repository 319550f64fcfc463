#!/usr/bin/python3
"""mutu serve in a real browser (headless Chromium through Selenium).

Starts `build/mutu serve --port 0`, fills the form for a 4-doctor practice
the way a person would (typing, choosing, clicking), submits it, and checks
the per-doctor table against two independent answers for the same cabinet:
the JSON endpoint and the command line (`mutu solve --format json` on the
cabinet written to a file).  Then checks that an error of the loader lands
beside the field it concerns, that a reload keeps what was typed, takes the
screenshot of the README (doc/serve.png) and stops the server with SIGTERM
(exit status 0).

Usage: tests/browser/serve_test.py BUILD/mutu [SCREENSHOT]
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

MUTU = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/mutu")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "doc", "serve.png")

# The practice: four GPs of a ZIP health centre, one of whom holds a forfait.
DOCTORS = [
    {"id": "dr-arnaud", "pmt": "820", "fa": "1300", "age": "44", "declared": "2024-10-01"},
    {"id": "dr-blanc", "pmt": "1010", "fa": "1600", "age": "52", "declared": "2024-10-15"},
    {"id": "dr-colin", "pmt": "1250", "fa": "1900", "age": "39", "declared": "2024-11-02"},
    {"id": "dr-dumas", "pmt": "1480", "fa": "2300", "age": "60", "declared": "2024-11-20",
     "forfait": "2023-01-01"},
]

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def start_server():
    proc = subprocess.Popen([MUTU, "serve", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    prefix = "mutu serve: "
    if not line.startswith(prefix):
        proc.kill()
        sys.exit("mutu serve printed no address: %r %s" % (line, proc.stderr.read()))
    return proc, line[len(prefix):]


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read().decode()


def browser(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--user-data-dir=" + profile, "--window-size=1400,1900",
              "--lang=fr-FR"]:
        opts.add_argument(a)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=opts)


def set_date(d, elem, value):
    # Typing into a date input depends on the locale's field order; the
    # page listens to the same input event a person's typing fires.
    d.execute_script("arguments[0].value = arguments[1];"
                     "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                     "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                     elem, value)


def typed(elem, value):
    elem.clear()
    elem.send_keys(value)


def fill(d):
    typed(d.find_element(By.ID, "cab-name"), "Centre de santé du Port")
    typed(d.find_element(By.ID, "cab-id"), "cs-port")
    Select(d.find_element(By.ID, "cab-zone")).select_by_value("zip")
    set_date(d, d.find_element(By.ID, "cab-start"), "2025-01-01")
    Select(d.find_element(By.ID, "regime")).select_by_value("convention-2024.json")
    Select(d.find_element(By.ID, "variant")).select_by_value("")
    Select(d.find_element(By.ID, "goal")).select_by_value("net_benefit")
    rows = d.find_elements(By.CSS_SELECTOR, "#doctors tbody tr")
    while len(rows) < len(DOCTORS):
        d.find_element(By.ID, "add-doctor").click()
        rows = d.find_elements(By.CSS_SELECTOR, "#doctors tbody tr")
    for tr, doc in zip(rows, DOCTORS):
        typed(tr.find_element(By.CSS_SELECTOR, ".d-id"), doc["id"])
        Select(tr.find_element(By.CSS_SELECTOR, ".d-specialty")).select_by_value("generaliste")
        Select(tr.find_element(By.CSS_SELECTOR, ".d-sector")).select_by_value("1")
        typed(tr.find_element(By.CSS_SELECTOR, ".d-pmt"), doc["pmt"])
        typed(tr.find_element(By.CSS_SELECTOR, ".d-fa"), doc["fa"])
        typed(tr.find_element(By.CSS_SELECTOR, ".d-age"), doc["age"])
        set_date(d, tr.find_element(By.CSS_SELECTOR, ".d-declared"), doc["declared"])
        if "forfait" in doc:
            Select(tr.find_element(By.CSS_SELECTOR, ".d-ckind")).select_by_value("forfait")
            set_date(d, tr.find_element(By.CSS_SELECTOR, ".d-cstart"), doc["forfait"])


def main():
    proc, base = start_server()
    profile = tempfile.mkdtemp(prefix="mutu-chromium-")
    d = None
    try:
        d = browser(profile)
        wait = WebDriverWait(d, 20)
        d.get(base)
        wait.until(lambda x: x.execute_script("return document.body.dataset.ready === '1'"))
        check("Contrat d'assistant médical mutualisé" in d.title or "mutu" in d.title,
              "the page is served: " + d.title)
        fill(d)

        # An error of the loader lands beside its field: a PMT of -5.
        bad = d.find_elements(By.CSS_SELECTOR, "#doctors tbody tr")[1].find_element(
            By.CSS_SELECTOR, ".d-pmt")
        typed(bad, "-5")
        d.find_element(By.ID, "solve").click()
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, ".fielderr"))
        err = d.find_elements(By.CSS_SELECTOR, ".fielderr")[0]
        parent = err.find_element(By.XPATH, "..")
        check(parent.find_elements(By.CSS_SELECTOR, "input.d-pmt.invalid") != [],
              "the error of /doctors/1/pmt is shown beside that field: " + err.text)
        typed(bad, DOCTORS[1]["pmt"])

        d.find_element(By.ID, "solve").click()
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, "#doctors-generaliste tr.doctor-row"))
        rows = d.find_elements(By.CSS_SELECTOR, "#doctors-generaliste tr.doctor-row")
        check(len(rows) == 4, "4 rows in the per-doctor table (got %d)" % len(rows))
        check(not d.find_elements(By.CSS_SELECTOR, ".fielderr"), "no error left")

        # The same input through the endpoint and through the command line.
        body = d.execute_script("return requestBody();")
        api = post(base + "api/solve", body)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(body["cabinet"], f)
            cab_file = f.name
        cli = subprocess.run([MUTU, "solve", cab_file, "--rules",
                              os.path.join(ROOT, "scenarios/rules/convention-2024.json"),
                              "--format", "json"], capture_output=True, text=True).stdout
        os.unlink(cab_file)
        check(api == cli, "the endpoint answers what the command line prints")
        res = json.loads(api)
        group = [g for g in res["groups"] if g["specialty"] == "generaliste"][0]
        pooled = {x["doctor"]: x for x in group["pooled"]["doctors"]}
        alone = {x["doctor"]: x for x in group["individual"]["doctors"]}
        check(sorted(r.get_attribute("data-doctor") for r in rows) ==
              sorted(x["id"] for x in DOCTORS), "the rows are the four doctors")
        for r in rows:
            doc = r.get_attribute("data-doctor")

            def cell(field):
                c = r.find_element(By.CSS_SELECTOR, 'td[data-field="%s"]' % field)
                v = c.get_attribute("data-value")
                return None if v is None else float(v)
            for field, src in [("patients", pooled), ("assistant_etp", pooled), ("rate", pooled),
                               ("individual_net", alone), ("individual_objective", alone)]:
                key = field.replace("individual_", "")
                want = src.get(doc, {}).get(key)
                got = cell(field)
                check(want is not None and got is not None and abs(got - want) <= 1e-9 * max(1, abs(want)),
                      "%s %s: page %s, JSON %s" % (doc, field, got, want))
        net = d.find_element(By.CSS_SELECTOR, '#answer section[data-specialty="generaliste"] '
                                              'tr[data-field="net"] td:nth-child(3)')
        check(abs(float(net.get_attribute("data-value")) - group["pooled"]["net"]) < 1e-6,
              "the group's pooled net is the JSON's")

        # The contract actions answer on the page.
        d.find_element(By.ID, "simulate").click()
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, "#years tr"))
        years = d.find_elements(By.CSS_SELECTOR, "#years tr")
        check(len(years) == 1 + 5, "simulation: a header and 5 years (got %d rows)" % len(years))
        d.find_element(By.ID, "validate").click()
        wait.until(lambda x: x.find_elements(By.ID, "valid"))
        check("respecte toutes les règles" in d.find_element(By.ID, "valid").text,
              "validation: the draft contract is valid")

        # The answer page, for the README.
        d.find_element(By.ID, "solve").click()
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, "#doctors-generaliste tr.doctor-row"))
        time.sleep(0.3)
        height = d.execute_script("return document.body.scrollHeight")
        d.set_window_size(1400, min(max(height + 40, 900), 3000))
        os.makedirs(os.path.dirname(SHOT), exist_ok=True)
        d.save_screenshot(SHOT)
        check(os.path.getsize(SHOT) > 10000, "screenshot written: " + SHOT)

        # What was typed survives a reload.
        d.refresh()
        wait.until(lambda x: x.execute_script("return document.body.dataset.ready === '1'"))
        check(d.find_element(By.ID, "cab-name").get_attribute("value") == "Centre de santé du Port",
              "reload keeps the structure's name")
        check(d.find_element(By.ID, "cab-start").get_attribute("value") == "2025-01-01",
              "reload keeps the contract start")
        rows = d.find_elements(By.CSS_SELECTOR, "#doctors tbody tr")
        check([r.find_element(By.CSS_SELECTOR, ".d-id").get_attribute("value") for r in rows] ==
              [x["id"] for x in DOCTORS], "reload keeps the four doctors")
        check([r.find_element(By.CSS_SELECTOR, ".d-pmt").get_attribute("value") for r in rows] ==
              [x["pmt"] for x in DOCTORS], "reload keeps their PMT")
        check(rows[3].find_element(By.CSS_SELECTOR, ".d-ckind").get_attribute("value") == "forfait",
              "reload keeps the held contract")

        # A spreadsheet's CSV imported into the table (scenarios/cabinets/msp-tilleuls.csv,
        # the twin of msp-tilleuls.json: 7 doctors, gp-bernard holds a forfait).
        d.find_element(By.ID, "csv-import").send_keys(
            os.path.join(ROOT, "scenarios/cabinets/msp-tilleuls.csv"))
        wait.until(lambda x: x.find_element(By.ID, "cab-id").get_attribute("value") == "msp-tilleuls")
        rows = d.find_elements(By.CSS_SELECTOR, "#doctors tbody tr")
        check(len(rows) == 7, "CSV import: 7 doctors (got %d)" % len(rows))
        check(rows[1].find_element(By.CSS_SELECTOR, ".d-pmt").get_attribute("value") == "1045" and
              rows[1].find_element(By.CSS_SELECTOR, ".d-ckind").get_attribute("value") == "forfait",
              "CSV import: gp-bernard's PMT and forfait")
        check(d.find_element(By.ID, "cab-start").get_attribute("value") == "2025-01-01",
              "CSV import: the contract start (01/01/2025 in the file)")
    finally:
        if d:
            d.quit()
        shutil.rmtree(profile, ignore_errors=True)
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = "hung"
        check(rc == 0, "mutu serve stops on SIGTERM with status 0 (got %s)" % rc)
    if failures:
        print("serve_test: %d failures" % len(failures))
        sys.exit(1)
    print("serve_test: all passed")


if __name__ == "__main__":
    main()
