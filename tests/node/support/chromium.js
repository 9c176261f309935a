// How every test launches Debian's Chromium (never a downloaded browser): its path and the flags
// that keep it off the network and quiet in a sandbox-less container.
export const CHROMIUM = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
