import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { ComposeOption, ECharts } from 'echarts/core';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLOUR_HEX } from '../cases/CaseTags.tsx';

// Only what the console draws: lines, bars and pies with axes, tooltips, legends and a spoken description.
use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | AriaComponentOption
>;

/** The console's red first, then the traffic lights and calm companions. */
export const CHART_COLOURS = [
  '#c8102e',
  '#1677ff',
  COLOUR_HEX.orange,
  COLOUR_HEX.green,
  '#722ed1',
  '#13c2c2',
  '#eb2f96',
  '#faad14',
  '#2f54eb',
  '#a0d911',
  '#8c8c8c',
  '#fa541c',
];

/** Text and line colours of the two surfaces charts sit on. */
export const CHART_SURFACES = {
  light: { text: 'rgba(0, 0, 0, 0.65)', axis: '#d9d9d9', split: '#f0f0f0', tooltip: '#ffffff' },
  dark: { text: 'rgba(255, 255, 255, 0.78)', axis: '#3a4a6b', split: '#1f2b47', tooltip: '#0b1733' },
} as const;
export type ChartSurface = keyof typeof CHART_SURFACES;

interface Props {
  option: ChartOption;
  height?: CSSProperties['height'];
  surface?: ChartSurface;
  /** Called once the chart has drawn its first frame with this option. */
  onRendered?: () => void;
  'data-testid'?: string;
  'aria-label'?: string;
}

/**
 * An ECharts chart (SVG renderer) that follows its container's size, redraws when the option changes and is
 * disposed with the component. `data-rendered="true"` marks a chart that has drawn.
 */
export function EChart({ option, height = 300, surface = 'light', onRendered, ...rest }: Props) {
  const { i18n } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [rendered, setRendered] = useState(false);
  const renderedRef = useRef(onRendered);
  renderedRef.current = onRendered;
  const locale = i18n.language === 'en-US' ? 'EN' : 'ZH';

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = init(element, null, { renderer: 'svg', locale });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [locale]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new language makes a new instance, which needs the option again
  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const colours = CHART_SURFACES[surface];
    let first = true;
    const done = () => {
      if (!first) return;
      first = false;
      setRendered(true);
      renderedRef.current?.();
    };
    instance.on('rendered', done);
    instance.setOption(
      {
        color: CHART_COLOURS,
        // The wall screen is read from across the room.
        textStyle: { color: colours.text, fontSize: surface === 'dark' ? 14 : 12 },
        animationDuration: 400,
        aria: { enabled: true },
        ...option,
      },
      { notMerge: true },
    );
    return () => {
      instance.off('rendered', done);
    };
  }, [option, surface, locale]);

  return (
    <div
      ref={container}
      className="echart"
      style={{ height, width: '100%' }}
      data-rendered={rendered ? 'true' : 'false'}
      role="img"
      {...rest}
    />
  );
}
