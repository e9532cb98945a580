/**
 * Metric values as the API sends them: a finite number, or "NaN" / "Infinity" / "-Infinity" (JSON has no
 * literal for those). `metricValueToNumber` gives the JS number; send either form back when logging.
 */
export {
  formatMetricValue,
  isFiniteMetricValue,
  metricValueFromNumber,
  metricValueToNumber,
  NON_FINITE_METRIC_VALUES,
  type MetricValue,
  type NonFiniteMetricValue,
} from '@slipway/contracts';
