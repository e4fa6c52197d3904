import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';

/** An ECharts chart that follows its container's size; `option` is passed through. */
export default function Chart({
  option,
  label,
  height = 300,
}: {
  option: echarts.EChartsOption;
  label: string;
  height?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const chart = echarts.init(container.current, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return (
    <div
      ref={container}
      role="img"
      aria-label={label}
      data-testid="chart"
      style={{ width: '100%', height }}
    />
  );
}
