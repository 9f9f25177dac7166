/** "just now", "3 s ago", "2 min ago", "1 h 5 min ago": how long ago an operation started, for its byline. */
export function describeAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 1) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return `${hours} h${rest ? ` ${rest} min` : ""} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
