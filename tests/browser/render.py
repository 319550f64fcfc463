#!/usr/bin/env python3
"""Renders pages in one headless Chromium session (python3-selenium and
chromium-driver): one browser start for every page, where `chromium
--dump-dom` starts one per page.  Usage:
    render.py CHROMIUM DIR N
renders DIR/1.html .. DIR/N.html (those that exist) into DIR/I.dom (the DOM
after rendering), then screenshots DIR/tilleuls.html and DIR/blank.html at
1200x1600 (shot.png, blank.png) and tilleuls.html at a quarter of the scale
(small.png).  Exits 3 when selenium or the driver is missing (the caller
then renders with chromium alone), 1 when the browser fails."""
import os
import shutil
import sys
import tempfile

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
except ImportError:
    sys.exit(3)

browser, folder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
driver_path = shutil.which("chromedriver")
if not driver_path:
    sys.exit(3)
profile = tempfile.mkdtemp()
opts = Options()
opts.binary_location = browser
for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--user-data-dir=" + profile, "--window-size=1200,1600"):
    opts.add_argument(flag)
try:
    d = webdriver.Chrome(service=Service(driver_path), options=opts)
except Exception as e:  # the driver and the browser disagree, or no display
    print("    selenium could not start chromium: %s" % str(e).splitlines()[0])
    shutil.rmtree(profile, ignore_errors=True)
    sys.exit(3)
try:
    for i in range(1, count + 1):
        page = os.path.join(folder, "%d.html" % i)
        if not os.path.exists(page):
            continue
        d.get("file://" + page)
        with open(os.path.join(folder, "%d.dom" % i), "w", encoding="utf-8") as f:
            f.write(d.execute_script("return document.documentElement.outerHTML"))

    def shot(name, out, scale):
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": 1200, "height": 1600, "deviceScaleFactor": scale,
                           "mobile": False})
        d.get("file://" + os.path.join(folder, name))
        with open(os.path.join(folder, out), "wb") as f:
            f.write(d.get_screenshot_as_png())

    shot("tilleuls.html", "shot.png", 1)
    shot("blank.html", "blank.png", 1)
    shot("tilleuls.html", "small.png", 0.25)
finally:
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)
