/** A From/To URI as the list, the sort, search and filters show it: user@host, or whichever part there is. */
export function userAtHost(user: string, host: string): string {
  if (host === '') return user;
  return user === '' ? host : `${user}@${host}`;
}
