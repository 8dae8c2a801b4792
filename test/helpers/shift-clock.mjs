/**
 * Moves the real clock of a test process by MANDATE_TEST_SHIFT_DAYS days
 * (loaded with `--import` through NODE_OPTIONS by `npm test` when that is
 * set), so the suite can be run as if it were a year later and prove that no
 * test depends on the real date. Tests take their dates from the injected
 * clock; only code that wrongly reads the real clock notices the shift.
 */
const days = Number(process.env.MANDATE_TEST_SHIFT_DAYS ?? "0");
if (Number.isFinite(days) && days !== 0) {
  const offset = Math.round(days * 86_400_000);
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
