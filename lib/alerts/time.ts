/** "just now", "5 min ago", "3 h ago", "2 days ago": how long ago something happened, for the notifications menu. */
export function formatAgo(ms: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? "yesterday" : `${days} days ago`;
}

/** The unread badge: the count, or "99+". */
export function badgeCount(n: number): string {
  return n > 99 ? "99+" : String(n);
}
