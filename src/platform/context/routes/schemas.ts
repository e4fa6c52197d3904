import { Type } from 'typebox';

/** Query parameters are parsed by the broker itself (NGSI-LD grammar); the schema documents them. */
const text = (description: string) => Type.Optional(Type.String({ description }));

export const EntityQuery = Type.Object(
  {
    id: text('entity ids, comma-separated'),
    type: text('entity types: `,` or `|` for or, `;` for and, parentheses'),
    idPattern: text('a regular expression on entity ids'),
    attrs: text('attribute names to match and return'),
    pick: text('members to return'),
    omit: text('members to leave out'),
    q: text('the NGSI-LD query language (4.9)'),
    georel: text(
      'near;maxDistance==N, near;minDistance==N, within, contains, intersects, equals, disjoint, overlaps',
    ),
    geometry: text('Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon'),
    coordinates: text('GeoJSON coordinates as JSON'),
    geoproperty: text('the GeoProperty queried (default location)'),
    limit: text('page size, default 20, at most 1000'),
    offset: text('page start'),
    count: text('true: the total in NGSILD-Results-Count'),
    options: text('keyValues, concise, sysAttrs; temporalValues, aggregatedValues (temporal)'),
    format: text('normalized, keyValues (simplified) or concise'),
    orderBy: text('attribute names, `-` for descending (Mueang extension)'),
    lang: text('language tag for LanguageProperty values'),
    timerel: text('before, after or between (temporal)'),
    timeAt: text('ISO 8601 time (temporal)'),
    endTimeAt: text('ISO 8601 time for between (temporal)'),
    timeproperty: text(
      'observedAt (default), createdAt or modifiedAt: the time timerel and lastN use (temporal)',
    ),
    lastN: text('the last N instances of each attribute (temporal)'),
    aggrMethods: text(
      'totalCount, distinctCount, sum, avg, min, max, stddev, sumsq (temporal, aggregatedValues)',
    ),
    aggrPeriodDuration: text('ISO 8601 duration of each aggregation period, e.g. PT1H (temporal)'),
    datasetId: text('the datasetId of the attribute instance'),
    deleteAll: text('true: delete every instance of the attribute'),
    geometryProperty: text('the GeoProperty used as the GeoJSON geometry'),
  },
  { additionalProperties: true },
);

export const IdParams = Type.Object({ id: Type.String() });
export const AttrParams = Type.Object({ id: Type.String(), attrId: Type.String() });
export const InstanceParams = Type.Object({
  id: Type.String(),
  attrId: Type.String(),
  instanceId: Type.String(),
});
export const TypeParams = Type.Object({ type: Type.String() });
export const AttrIdParams = Type.Object({ attrId: Type.String() });

export const tags = ['ngsi-ld'];
