#!/bin/sh
# Chromium as the browser tests start it: Playwright launches it in a session of its own, which Linux's
# autogroup scheduling would run at nice 0 whatever niceness it inherited. It keeps its niceness here, so
# `nice` on the browser tests nices the browser too (ADR 0031); then it is the Chromium of CHROMIUM_PATH.
# Only when it leads its session: in its parent's, it must not nice the parent's whole group.
niceness=$(nice)
session=$(awk '{ sub(/.*\) /, ""); print $4 }' /proc/$$/stat 2>/dev/null)
if [ "$niceness" -gt 0 ] && [ "$session" = "$$" ] && [ -w /proc/self/autogroup ]; then echo "$niceness" > /proc/self/autogroup 2>/dev/null || true; fi
exec "${CHROMIUM_PATH:-/usr/bin/chromium}" "$@"
