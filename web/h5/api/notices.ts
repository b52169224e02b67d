/** The resident's notices API (信息通知). Placeholder until the notices module lands. */

/** How many published notices for my home I have not read yet: the notices tab's badge. */
export function useUnreadNotices(): number {
  return 0;
}
