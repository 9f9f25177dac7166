"use client";

export function PlatformErrorPanel({ message, onRetry, retrying }: { message: string; onRetry: () => void; retrying: boolean }) {
  return (
    <div role="alert" className="m-6 max-w-xl rounded border border-red-300 bg-red-50 p-4 text-sm text-red-950">
      <h2 className="font-semibold">The platform cannot be reached</h2>
      <p className="mt-1 break-words">{message}</p>
      <button
        type="button"
        onClick={onRetry}
        disabled={retrying}
        className="mt-3 rounded bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:opacity-60"
      >
        {retrying ? "Retrying…" : "Retry"}
      </button>
    </div>
  );
}
