import type { PreviewView } from "./views";
import { WorldView } from "./WorldView";

/** One view of the preview in a section named by its heading. */
export function PreviewSection({ view }: { view: PreviewView }) {
  const headingId = `preview-${view.id}-heading`;
  return (
    <section aria-labelledby={headingId} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={headingId} className="text-base font-semibold">
        {view.title}
      </h2>
      <p className="mt-1 mb-3 text-sm text-slate-700">{view.description}</p>
      <WorldView recipe={view.recipe}>{view.render(headingId)}</WorldView>
    </section>
  );
}
