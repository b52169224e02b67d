import { Alert, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ENTITY_PERMISSION, WORKBOOK_KINDS } from '../../api/excel.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { WorkbookCard } from './WorkbookCard.tsx';

/** 数据导入导出: the lists people keep in Excel today — units, grids, people — in and out. */
export default function ExcelPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const kinds = WORKBOOK_KINDS.filter(
    (kind) =>
      (session.can('data.import') && session.can(ENTITY_PERMISSION[kind].import)) ||
      (session.can('data.export') && session.can(ENTITY_PERMISSION[kind].export)),
  );
  return (
    <div className="page">
      <Alert type="info" showIcon title={t('excel.intro')} description={t('excel.rules')} />
      {kinds.length === 0 && <Typography.Text type="secondary">{t('excel.nothing')}</Typography.Text>}
      <Row gutter={[16, 16]}>
        {kinds.map((kind) => (
          <Col key={kind} span={24}>
            <WorkbookCard
              kind={kind}
              canImport={session.can('data.import') && session.can(ENTITY_PERMISSION[kind].import)}
              canExport={session.can('data.export') && session.can(ENTITY_PERMISSION[kind].export)}
            />
          </Col>
        ))}
      </Row>
    </div>
  );
}
