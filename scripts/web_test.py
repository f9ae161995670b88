#!/usr/bin/env python3
"""The browser build in a real browser: Debian's headless Chromium (WebGL2
through SwiftShader) driven by selenium, on web/dist served at 127.0.0.1.

Checks: the page loads without console errors; the canvas is not uniform; the
step counter (in document.title) advances; a link with loss=nll reaches
LEARNED; a link with a bad value shows the error and keeps the defaults.
Then measures (printed, one JSON line each): the page at 1280x800 while
training and paused (drawing every frame): frame rates and where a frame's
time goes (the page's own ebmFrameStats() and, on Linux, the CPU time of
Chromium's GPU process, where SwiftShader draws); then bench() in the page.
Saves a screenshot to docs/images/web.png.

Usage: scripts/web_test.py [--no-measure]   (scripts/web-test.sh runs it)
"""

import functools
import http.server
import json
import os
import re
import socketserver
import struct
import sys
import threading
import time
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.path.join(ROOT, "web", "dist")
SCREENSHOT = os.path.join(ROOT, "docs", "images", "web.png")
WIDTH, HEIGHT = 1280, 800
FAILURES = []
PASSED = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if ok:
        PASSED.append(what)
    else:
        FAILURES.append(what)


class Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript"}

    def log_message(self, *args):
        pass


def serve():
    handler = functools.partial(Quiet, directory=DIST)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/" % server.server_address[1]


def browser(extra_flags=()):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--use-gl=angle", "--use-angle=swiftshader",
                 "--enable-unsafe-swiftshader", "--no-sandbox", "--disable-dev-shm-usage",
                 "--window-size=%d,%d" % (WIDTH, HEIGHT), "--hide-scrollbars"] + list(extra_flags):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_script_timeout(120)
    # The viewport (not the window) at 1280x800.
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(2 * WIDTH - inner[0], 2 * HEIGHT - inner[1])
    return driver


def png_pixels(data):
    """(width, height, rows of RGB(A) bytes) of an 8-bit non-interlaced PNG."""
    pos, chunks = 8, {}
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks.setdefault(kind, []).append(data[pos + 8:pos + 8 + n])
        pos += 12 + n
    w, h, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and color in (2, 6), "unexpected PNG format"
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride, rows, prev = w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
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
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def distinct_colours(png, box):
    """Distinct RGB colours in box = (x0, y0, x1, y1) of the screenshot."""
    w, h, bpp, rows = png_pixels(png)
    x0, y0, x1, y1 = box
    seen = set()
    for y in range(max(0, y0), min(h, y1), 4):
        row = rows[y]
        for x in range(max(0, x0), min(w, x1), 4):
            seen.add(row[x * bpp:x * bpp + 3])
    return len(seen)


def title_step(driver):
    m = re.search(r"step (\d+) · (\w+)", driver.title)
    return (int(m.group(1)), m.group(2)) if m else (None, None)


def wait_for(driver, pred, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.25)
    return pred()


def console_errors(driver):
    logs = driver.get_log("browser")
    for entry in logs:
        if entry["level"] in ("SEVERE", "WARNING"):
            print("      console %s: %s" % (entry["level"], entry["message"][:300]))
    return [e for e in logs if e["level"] == "SEVERE"]


def open_page(driver, url):
    # A fresh document for each link (a new fragment alone would not reload).
    driver.get("about:blank")
    driver.get(url)
    return wait_for(driver, lambda: title_step(driver)[0] is not None, 60)


def test_default(driver, url):
    check(open_page(driver, url), "the page starts (title shows a step): %r" % driver.title)
    s0, _ = title_step(driver)
    time.sleep(2.0)
    s1, state = title_step(driver)
    check(s0 is not None and s1 is not None and s1 > s0,
          "the step counter advances (%s -> %s, %s)" % (s0, s1, state))
    png = driver.get_screenshot_as_png()
    n = distinct_colours(png, (0, 0, WIDTH, HEIGHT))
    check(n > 50, "the canvas is not uniform (%d distinct colours)" % n)
    # The 3D view sits between the side panels: it must have drawn too.
    n3d = distinct_colours(png, (WIDTH // 2 - 150, HEIGHT // 2 - 150,
                                 WIDTH // 2 + 150, HEIGHT // 2 + 150))
    check(n3d > 20, "the 3D view has drawn (%d colours in the centre)" % n3d)
    errors = console_errors(driver)
    check(not errors, "no console errors (%d)" % len(errors))
    return png


def test_nll(driver, url):
    check(open_page(driver, url + "#loss=nll"), "a link with loss=nll starts")
    learned = wait_for(driver, lambda: title_step(driver)[1] == "LEARNED", 90)
    check(learned, "loss=nll reaches LEARNED (%s)" % driver.title)
    msg = driver.execute_script("return document.documentElement.dataset.message")
    check(msg == "", "no message for a good link, and the attribute is there (%r)" % msg)
    check(not console_errors(driver), "no console errors with loss=nll")


def test_hash_change(driver, url):
    """Issue 25 (C.2): a fragment changed in the open tab is followed."""
    check(open_page(driver, url + "#preset=dual-energy"), "dual-energy starts")
    s0, _ = title_step(driver)
    driver.execute_script("location.hash = '#preset=dual-nll'")
    # A new run from step 0 that learns (dual-energy never does).
    followed = wait_for(driver, lambda: (title_step(driver)[0] or 0) < (s0 or 0) + 1
                        or title_step(driver)[1] == "LEARNED", 10)
    learned = wait_for(driver, lambda: title_step(driver)[1] == "LEARNED", 90)
    check(followed and learned,
          "a changed fragment is followed: dual-nll learns (%s)" % driver.title)


def test_lecture_pause(driver, url):
    """Issue 25 (C.5): the lecture's pause at the collapse comes with its text:
    once the page reads COLLAPSED in scene 3, training has stopped there."""
    check(open_page(driver, url + "#scene=3"), "lecture scene 3 starts")
    collapsed = wait_for(driver, lambda: title_step(driver)[1] == "COLLAPSED", 90)
    s0, _ = title_step(driver)
    time.sleep(2.0)
    s1, state = title_step(driver)
    check(collapsed and s0 == s1 and state == "COLLAPSED",
          "scene 3 pauses at the collapse it shows (steps %s -> %s, %s)" % (s0, s1, state))


def test_latent(driver, url):
    """Issue 23: a link opens the latent-variable lessons; the plane's run
    trains in the page's frames until it reads LEARNED, and draws."""
    check(open_page(driver, url + "#latent=ellipse-zero-t"), "the latent lessons start")
    learned = wait_for(driver, lambda: title_step(driver)[1] == "LEARNED", 90)
    check(learned and "latent" in driver.title,
          "the ellipse learns in the page (%s)" % driver.title)
    png = driver.get_screenshot_as_png()
    n3d = distinct_colours(png, (WIDTH // 2 - 100, HEIGHT // 3 - 100,
                                 WIDTH // 2 + 100, HEIGHT // 3 + 100))
    check(n3d > 20, "the plane's 3D view has drawn (%d colours)" % n3d)
    check(not console_errors(driver), "no console errors in the latent lessons")


def test_keys_kept_from_the_browser(driver, url):
    """Issue 25 (C.8): F1, F5, F11 and Ctrl+E are the window's keys; the page
    keeps the browser from acting on them (F5 would reload and lose the run)."""
    check(open_page(driver, url + "#preset=dual-nll"), "dual-nll starts")
    kept = driver.execute_script("""
        const canvas = document.getElementById('ebm_canvas');
        return [['F1', false], ['F5', false], ['F11', false], ['e', true],
                ['+', true], ['=', true], ['-', true], ['0', true]]
          .map(([key, ctrl]) => {
            const ev = new KeyboardEvent('keydown',
              {key: key, ctrlKey: ctrl, cancelable: true, bubbles: true});
            canvas.dispatchEvent(ev);
            return ev.defaultPrevented;
          });""")
    # (Before, the browser got all four: [False, False, False, False].)
    check(kept == [True] * 8,
          "F1, F5, F11, Ctrl+E and Ctrl +/=/-/0 kept from the browser (%s)" % kept)


def test_dpr_change_while_paused(driver, url):
    """Issue 25 (C.7): a device-pixel-ratio change (browser zoom) while the
    run is paused redraws the canvas instead of leaving it one flat colour
    until the mouse moves. Scene 3 pauses at the collapse."""
    check(open_page(driver, url + "#scene=3"), "lecture scene 3 starts")
    paused = wait_for(driver, lambda: title_step(driver)[1] == "COLLAPSED", 90)
    time.sleep(1.0)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1.5, "mobile": False})
    try:
        time.sleep(2.0)
        png = driver.get_screenshot_as_png()
        w, h, _, _ = png_pixels(png)
        n = distinct_colours(png, (w // 2 - 150, h // 2 - 150, w // 2 + 150, h // 2 + 150))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    check(paused and n > 20,
          "after a DPR change while paused the view is drawn (%d colours, %dx%d)" % (n, w, h))


def test_bad_link(driver, url):
    check(open_page(driver, url + "#lr=-1"), "a link with a bad value still starts")
    msg = driver.execute_script("return document.documentElement.dataset.message || ''")
    check("lr" in msg and "allowed" in msg and "kept the defaults" in msg,
          "the bad value is refused with a message: %r" % msg)
    s0, _ = title_step(driver)
    time.sleep(1.0)
    s1, _ = title_step(driver)
    check(s1 is not None and s0 is not None and s1 > s0, "the defaults run (%s -> %s)" % (s0, s1))


def gpu_process_cpu_s():
    """CPU seconds used so far by Chromium's GPU process (SwiftShader runs
    there), or None where /proc does not tell (not Linux)."""
    total, found = 0.0, False
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return None
    for pid in pids:
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read()
            if b"chromium" not in cmd or b"--type=gpu-process" not in cmd:
                continue
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            found = True
        except (OSError, ValueError, IndexError):
            continue
    return total if found else None


def frame_window(driver, seconds=5.0):
    """The page over `seconds`: requestAnimationFrame's rate, the app's own
    frames and what each cost on the page's main thread (ms: training, ui,
    paint, and the wait for the browser, i.e. the rest of the interval), the
    steps a second, and the GPU process's CPU time per frame."""
    a = json.loads(driver.execute_script("return window.ebmFrameStats()"))
    g0 = gpu_process_cpu_s()
    raf = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        let n = 0; const t0 = performance.now();
        function tick() { n++; if (performance.now() - t0 < %d) requestAnimationFrame(tick);
                          else done([n, performance.now() - t0]); }
        requestAnimationFrame(tick);""" % int(seconds * 1000))
    g1 = gpu_process_cpu_s()
    b = json.loads(driver.execute_script("return window.ebmFrameStats()"))
    n = max(b["frames"] - a["frames"], 1)
    per = {k: (b[k] - a[k]) / n for k in ("interval_ms", "train_ms", "ui_ms", "paint_ms", "budget_ms")}
    out = {"raf_fps": round(raf[0] * 1000.0 / raf[1], 1),
           "app_fps": round(1000.0 / per["interval_ms"], 1) if per["interval_ms"] > 0 else 0.0}
    for k in ("train_ms", "ui_ms", "paint_ms"):
        out[k] = round(per[k], 2)
    out["wait_ms"] = round(per["interval_ms"] - per["train_ms"] - per["ui_ms"] - per["paint_ms"], 1)
    out["budget_ms"] = round(per["budget_ms"], 2)
    out["steps_per_s"] = round((b["steps"] - a["steps"]) * 1000.0 / raf[1])
    if g0 is not None and g1 is not None:
        out["gpu_process_cpu_ms_per_frame"] = round((g1 - g0) * 1000.0 / n, 1)
    return out


def not_stepping(driver):
    s0 = title_step(driver)[0]
    time.sleep(0.5)
    return s0 is not None and title_step(driver)[0] == s0


def measure(driver, url):
    # Training all along (square-square does not collapse, so no pause at the collapse).
    open_page(driver, url + "#loss=square-square")
    time.sleep(2.0)  # past start-up (shader compiles, the first snapshots)
    training = frame_window(driver)
    print(json.dumps({"page_1280x800_training": training, "title": driver.title}))
    # Paused (Space, the window's play/pause key), drawing every frame anyway:
    # what drawing alone costs.
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    canvas = driver.find_element("id", "ebm_canvas")
    ActionChains(driver).move_to_element(canvas).click().send_keys(Keys.SPACE).perform()
    driver.execute_script("window.ebmContinuous(true)")
    paused = wait_for(driver, lambda: not_stepping(driver), 10)
    time.sleep(1.0)
    drawing = frame_window(driver)
    driver.execute_script("window.ebmContinuous(false)")
    print(json.dumps({"page_1280x800_paused_drawing_every_frame": drawing,
                      "paused": paused, "title": driver.title}))
    time.sleep(1.0)  # the GPU process finishes the frames queued, off the bench's cores
    result = driver.execute_script("return window.ebmBench(2000)")
    print(json.dumps({"bench_in_chromium": json.loads(result)}))


def test_without_webgl2(url):
    """Issue 26: a browser without WebGL2 gets the page's message, not a
    shader panic and a page frozen at its first steps."""
    driver = browser(["--disable-webgl2"])
    try:
        driver.get(url)
        shown = wait_for(driver, lambda: "needs WebGL2" in driver.title, 20)
        text = driver.execute_script(
            "const l = document.getElementById('loading'); return l ? l.textContent : ''")
        check(shown and "needs WebGL2" in text,
              "without WebGL2 the page says so (%r: %r)" % (driver.title, text[:80]))
    finally:
        driver.quit()


def main():
    if not os.path.exists(os.path.join(DIST, "index.html")):
        sys.exit("no web/dist: run ./scripts/web.sh first")
    server, url = serve()
    driver = browser()
    try:
        png = test_default(driver, url)
        os.makedirs(os.path.dirname(SCREENSHOT), exist_ok=True)
        with open(SCREENSHOT, "wb") as f:
            f.write(png)
        print("      screenshot: %s" % os.path.relpath(SCREENSHOT, ROOT))
        test_bad_link(driver, url)
        test_nll(driver, url)
        test_hash_change(driver, url)
        test_lecture_pause(driver, url)
        test_latent(driver, url)
        test_keys_kept_from_the_browser(driver, url)
        test_dpr_change_while_paused(driver, url)
        test_without_webgl2(url)
        if "--no-measure" not in sys.argv:
            measure(driver, url)
    finally:
        driver.quit()
        server.shutdown()
    print("web: %d passed, %d failed" % (len(PASSED), len(FAILURES)))
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
