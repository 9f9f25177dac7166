import type { Metadata } from "next";
import { PreviewLoader } from "@/components/preview/PreviewLoader";

export const metadata: Metadata = {
  title: "Stop All preview · Fleet canvas",
  description: "Every Stop All view side by side, for design review (mock mode only).",
};

export default function PreviewPage() {
  return (
    <main className="h-dvh overflow-y-auto p-6">
      <h1 className="text-xl font-semibold">Stop All preview</h1>
      <PreviewLoader />
    </main>
  );
}
