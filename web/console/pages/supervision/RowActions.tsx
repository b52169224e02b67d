import { BellOutlined, FlagOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseSummary, Colour } from '../../api/cases.ts';
import { TaskColour } from './TaskColour.tsx';
import type { TabSpec } from './tabs.ts';

interface Props {
  c: CaseSummary;
  tab: TabSpec;
  busy(action: string): boolean;
  onChase(): void;
  onFlag(): void;
  onColour(colour: Colour): void;
}

/**
 * One row's actions: chase and flag in one click (the server answers whether the case allows it), a task's
 * colour in place, and for reviews and extension requests a link to decide on the case's own page.
 */
export function RowActions({ c, tab, busy, onChase, onFlag, onColour }: Props) {
  const { t } = useTranslation();
  return (
    <div className="supervision-row-actions">
      {tab.key === 'tasks' && <TaskColour c={c} busy={busy('setColour')} onChange={onColour} />}
      {tab.decideOnCase && (
        <Link to={`/cases/${c.id}`} data-testid="row-open">
          {t('supervision.actions.open')}
        </Link>
      )}
      <Button
        type="link"
        size="small"
        icon={<BellOutlined />}
        loading={busy('chase')}
        onClick={onChase}
        data-testid="row-chase"
      >
        {t('supervision.actions.chase')}
      </Button>
      <Button
        type="link"
        size="small"
        danger
        icon={<FlagOutlined />}
        loading={busy('supervise')}
        onClick={onFlag}
        data-testid="row-flag"
      >
        {t('supervision.actions.flag')}
      </Button>
    </div>
  );
}
