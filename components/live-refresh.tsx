"use client";
// Re-renders the server page every few seconds while what it shows is still changing (a running
// scenario, a live drill); a page that is done stops asking.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function LiveRefresh({ everyMs = 5000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return (
    <p className="live-note" aria-live="polite">
      Live: updates every {Math.round(everyMs / 1000)} s
    </p>
  );
}
