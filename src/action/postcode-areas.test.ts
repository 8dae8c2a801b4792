import assert from "node:assert/strict";
import { test } from "node:test";
import { POSTCODE_AREA_CENTRES, parsePostcode, postcodePlace } from "./postcode-areas.js";

test("every UK postcode area has a centre inside the British Isles' box", () => {
  const areas = Object.keys(POSTCODE_AREA_CENTRES);
  assert.ok(areas.length >= 121, `${areas.length} areas`);
  for (const [area, [lat, lon]] of Object.entries(POSTCODE_AREA_CENTRES)) {
    assert.ok(lat > 49 && lat < 61 && lon > -8.5 && lon < 2, area);
  }
});

test("postcodes are placed near their area's centre, the same way every time", () => {
  const leeds = postcodePlace("LS1 4AP")!;
  assert.equal(leeds.area, "LS");
  assert.equal(leeds.outward, "LS1");
  assert.ok(Math.abs(leeds.lat - 53.8) < 0.1 && Math.abs(leeds.lon + 1.55) < 0.15);
  assert.deepEqual(postcodePlace("ls14ap"), leeds, "case and spaces do not matter");
  const other = postcodePlace("LS11 5DT")!;
  assert.equal(other.outward, "LS11");
  assert.notDeepEqual([other.lat, other.lon], [leeds.lat, leeds.lon], "outward codes spread out");
  // Northern Ireland, Scotland, Wales.
  const belfast = postcodePlace("BT1 5GS")!;
  assert.equal(belfast.area, "BT");
  assert.ok(belfast.lon < -5.5 && belfast.lat > 54 && belfast.lat < 55.5);
  const glasgow = postcodePlace("G2 1DU")!;
  assert.equal(glasgow.area, "G");
  assert.ok(glasgow.lat > 55.7 && glasgow.lat < 56);
  const lerwick = postcodePlace("ZE1 0AA")!;
  assert.ok(lerwick.lat > 60);
  const cardiff = postcodePlace("CF10 1EP")!;
  assert.equal(cardiff.area, "CF");
  assert.ok(cardiff.lon < -3 && cardiff.lat < 51.7);
  // An outward code alone is enough.
  assert.equal(postcodePlace("M1")?.area, "M");
});

test("bad postcodes are not on the map", () => {
  for (const bad of [
    null,
    undefined,
    "",
    "not a postcode",
    "1AB 2CD",
    "QQ1 1AA",
    "LS",
    "BFPO 123",
    "LS1 4A",
  ]) {
    assert.equal(postcodePlace(bad), null, String(bad));
  }
  assert.equal(parsePostcode("XX1 1AA"), null);
});
