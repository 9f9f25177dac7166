"use client";

import { PreviewSection } from "./PreviewSection";
import { PREVIEW_VIEWS } from "./views";

/** Every Stop All view side by side, each from a simulated fleet of its own. */
export function PreviewBody() {
  return (
    <>
      <p className="mt-1 max-w-3xl text-sm text-slate-700">
        Each view below is drawn by the app&apos;s own components from a mock fleet simulated in this page on a clock of its own, moved to
        the moment the view shows. Nothing is sent to the platform.
      </p>
      <div className="mt-6 grid items-start gap-6 xl:grid-cols-2">
        {PREVIEW_VIEWS.map((view) => (
          <PreviewSection key={view.id} view={view} />
        ))}
      </div>
    </>
  );
}
