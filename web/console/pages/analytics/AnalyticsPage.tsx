import { Empty } from 'antd';

/** Placeholder until this page is built. */
export default function AnalyticsPage() {
  return <Empty />;
}
