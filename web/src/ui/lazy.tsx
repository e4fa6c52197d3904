import { lazy, Suspense } from 'react';
import { Spinner } from './States.tsx';

const LazyMap = lazy(() => import('./MapView.tsx'));
const LazyChart = lazy(() => import('./Chart.tsx'));

/** Map and chart load on first use, so the first page stays small on a phone. */
export function LazyMapView(props: React.ComponentProps<typeof LazyMap>) {
  return (
    <Suspense fallback={<Spinner />}>
      <LazyMap {...props} />
    </Suspense>
  );
}

export function Chart(props: React.ComponentProps<typeof LazyChart>) {
  return (
    <Suspense fallback={<Spinner />}>
      <LazyChart {...props} />
    </Suspense>
  );
}
