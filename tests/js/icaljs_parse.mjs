// Parse iCalendar documents with Mozilla's ical.js, as a calendar client would, and print what it read.
// Usage: node icaljs_parse.mjs <path to ical.js/dist/ical.js>  < documents.json  (a JSON list of texts)
// Each event's times are converted with the VTIMEZONE components of its own document only: ical.js has
// no zone database, so a missing or wrong VTIMEZONE shows up as a wrong instant.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const ICAL = (await import(pathToFileURL(process.argv[2]).href)).default;
const documents = JSON.parse(readFileSync(0, "utf8"));

function read(text) {
  const root = new ICAL.Component(ICAL.parse(text));
  const zones = {};
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtz);
    zones[zone.tzid] = zone;
  }
  const instant = (prop) => {
    const value = prop.getFirstValue();
    const tzid = prop.getParameter("tzid");
    if (tzid) {
      if (!zones[tzid]) throw new Error(`no VTIMEZONE for ${tzid}`);
      value.zone = zones[tzid];
    }
    return { unix: value.toUnixTime(), tzid: tzid || null, local: value.toString() };
  };
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const start = instant(vevent.getFirstProperty("dtstart"));
    const end = instant(vevent.getFirstProperty("dtend"));
    return {
      uid: vevent.getFirstPropertyValue("uid"),
      sequence: vevent.getFirstPropertyValue("sequence"),
      status: vevent.getFirstPropertyValue("status"),
      summary: vevent.getFirstPropertyValue("summary"),
      description: vevent.getFirstPropertyValue("description"),
      transp: vevent.getFirstPropertyValue("transp"),
      start: start.unix,
      end: end.unix,
      tzid: start.tzid,
      alarms: vevent.getAllSubcomponents("valarm").map((a) => a.getFirstPropertyValue("trigger").toSeconds()),
    };
  });
  return {
    prodid: root.getFirstPropertyValue("prodid"),
    version: root.getFirstPropertyValue("version"),
    method: root.getFirstPropertyValue("method"),
    calname: root.getFirstPropertyValue("x-wr-calname"),
    timezones: Object.keys(zones),
    events,
  };
}

process.stdout.write(JSON.stringify(documents.map(read)));
