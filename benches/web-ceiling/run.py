#!/usr/bin/env python3
"""The browser's own ceiling for the page (docs/PERFORMANCE.md, issue 16):
frames a second of a 1280x800 WebGL2 canvas in headless Chromium with
SwiftShader, (a) only cleared each frame, (b) cleared and covered by one
blended, textured quad (what one full-window fill of egui costs), with the
GPU process's CPU time per frame. Uses the browser set-up of
scripts/web_test.py (run ./scripts/web-test.sh once first: it installs
Chromium, chromedriver and selenium). Usage: benches/web-ceiling/run.py [ROUNDS]"""
import functools
import http.server
import os
import socketserver
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import web_test  # noqa: E402


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    server = socketserver.ThreadingTCPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=HERE))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/index.html" % server.server_address[1]
    driver = web_test.browser()
    try:
        for _ in range(rounds):
            for mode in ("clear", "quad"):
                driver.get("about:blank")
                driver.get(url + "#" + mode)
                time.sleep(2.0)
                g0 = web_test.gpu_process_cpu_s()
                f0, t0 = driver.execute_script("return window.frames_"), time.time()
                time.sleep(5.0)
                f1, t1 = driver.execute_script("return window.frames_"), time.time()
                g1 = web_test.gpu_process_cpu_s()
                n = max(f1 - f0, 1)
                gpu = "%.1f" % ((g1 - g0) * 1000.0 / n) if g0 is not None else "?"
                print("%-5s %5.1f fps, GPU process %s ms CPU a frame" % (mode, n / (t1 - t0), gpu))
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
