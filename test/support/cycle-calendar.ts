/**
 * A cycle calendar on the local runtime's clock (`now`, epoch ms): the window opens after
 * `opensInMs` and closes at the end of the day after tomorrow (WIB dates); the national run is
 * the day after that at 08:00 WIB. Move the clock past `opensInMs` to open the cycle.
 */
export function calendarFrom(now: number, opensInMs: number) {
  const day = (d: number) => new Date(now + 7 * 3600_000 + d * 86_400_000).toISOString().slice(0, 10);
  return {
    opensAt: new Date(now + opensInMs).toISOString(),
    closesAt: day(2),
    nationalRunAt: `${day(3)}T08:00:00+07:00`,
  };
}
