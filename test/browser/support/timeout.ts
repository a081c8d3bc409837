/**
 * A browser journey walks a dozen pages, each checked with axe and photographed twice; under the
 * load of a whole `npm test` on two cores it can take longer than the 30 s every other test gets.
 * Jest reads `testTimeout` only from the top-level configuration (a project's own is ignored), so
 * the browser project sets its longer limit here.
 */
jest.setTimeout(120_000);
