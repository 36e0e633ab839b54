"use client";
// Light, dark or the system's choice, kept in this browser. The choice is applied to <html data-theme>
// before first paint by the inline script in the layout, so a dark-theme reader never sees a light flash.
import { useEffect, useState } from "react";

type Theme = "system" | "light" | "dark";
const NEXT: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => {
    const saved = localStorage.getItem("pimlab-theme");
    if (saved === "light" || saved === "dark") setTheme(saved);
  }, []);
  const choose = () => {
    const next = NEXT[theme];
    setTheme(next);
    if (next === "system") {
      localStorage.removeItem("pimlab-theme");
      delete document.documentElement.dataset.theme;
    } else {
      localStorage.setItem("pimlab-theme", next);
      document.documentElement.dataset.theme = next;
    }
  };
  return (
    <button type="button" className="theme-toggle" onClick={choose} aria-label={`Theme: ${theme}. Switch to ${NEXT[theme]}`}>
      {theme === "system" ? "◐ system" : theme === "light" ? "☀ light" : "☾ dark"}
    </button>
  );
}
