"use client";

import dynamic from "next/dynamic";

// The literal comparison is inlined at build time: a live build drops the
// import below, so it contains none of the preview's mock code.
const PreviewBody =
  process.env.NEXT_PUBLIC_PLATFORM_MODE === "live"
    ? null
    : dynamic(() => import("./PreviewBody").then((module) => module.PreviewBody), {
        ssr: false,
        loading: () => (
          <p role="status" className="mt-4 text-sm text-slate-600">
            Loading the preview…
          </p>
        ),
      });

/** The preview's body in mock builds; a note in live ones. */
export function PreviewLoader() {
  if (!PreviewBody) return <p className="mt-4 text-sm text-slate-700">The preview is available in mock mode only.</p>;
  return <PreviewBody />;
}
