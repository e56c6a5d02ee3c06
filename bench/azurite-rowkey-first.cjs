/**
 * Preloaded into the benches' own Azurite (NODE_OPTIONS=--require, bench/export.ts only): Azurite checks that an
 * entity does not exist before each insert with LokiJS `findOne({ PartitionKey, RowKey })`, and LokiJS narrows an
 * implicit AND by its first key's index. In a one-partition table (the huddles table: PartitionKey = the area)
 * the PartitionKey index matches every row, so each insert scans the whole table and seeding 365,000 rows is
 * O(n²) (hours). Asking with RowKey first gives the same answer through the RowKey index (Azurite indexes both).
 * Nothing else changes: queries (the export's pages) still scan and sort as Azurite does.
 */
const path = require('node:path');
let loki;
try {
  loki = require(require.resolve('lokijs', { paths: [path.dirname(require.resolve('azurite/package.json'))] }));
} catch {
  loki = undefined;
}
if (loki && loki.Collection && !loki.Collection.prototype.__rowKeyFirst) {
  const findOne = loki.Collection.prototype.findOne;
  loki.Collection.prototype.findOne = function (query) {
    if (query && typeof query === 'object' && 'PartitionKey' in query && 'RowKey' in query && Object.keys(query).length === 2) {
      return findOne.call(this, { RowKey: query.RowKey, PartitionKey: query.PartitionKey });
    }
    return findOne.call(this, query);
  };
  loki.Collection.prototype.__rowKeyFirst = true;
}
