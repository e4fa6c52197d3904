import { lazy, Suspense } from 'react';
import { Spinner } from './States.tsx';

const MapView = lazy(() => import('./MapView.tsx'));
const Chart = lazy(() => import('./Chart.tsx'));

/** Map and chart load on first use, so the first page stays small on a phone. */
export function LazyMapView(props: React.ComponentProps<typeof MapView>) {
  return (
    <Suspense fallback={<Spinner />}>
      <MapView {...props} />
    </Suspense>
  );
}

export function LazyChart(props: React.ComponentProps<typeof Chart>) {
  return (
    <Suspense fallback={<Spinner />}>
      <Chart {...props} />
    </Suspense>
  );
}
