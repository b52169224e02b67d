import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Modal, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GeoJsonPolygon } from '../../api/grids.ts';
import { parsePolygon } from './geojson.ts';

/** Paste GeoJSON or read it from a .geojson/.json file; the polygon is previewed on the map before saving. */
export function GeoJsonModal({
  open,
  gridName,
  onClose,
  onPreview,
}: {
  open: boolean;
  gridName: string;
  onClose(): void;
  onPreview(polygon: GeoJsonPolygon): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  function preview() {
    const result = parsePolygon(text);
    if (typeof result === 'string') {
      setProblem(t(`grids.parse.${result}`));
      return;
    }
    setProblem(null);
    setText('');
    onPreview(result);
  }

  return (
    <Modal
      open={open}
      title={t('grids.importTitle', { name: gridName })}
      onCancel={onClose}
      onOk={preview}
      okText={t('grids.preview')}
      okButtonProps={{ disabled: !text.trim() }}
      width={640}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('grids.importHint')}</Typography.Paragraph>
        <Upload
          accept=".geojson,.json,application/geo+json,application/json"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(file) => {
            file
              .text()
              .then(setText)
              .catch(() => setProblem(t('grids.parse.invalidJson')));
            return false;
          }}
        >
          <Button icon={<UploadOutlined />}>{t('grids.chooseFile')}</Button>
        </Upload>
        <Input.TextArea
          className="geojson-input"
          rows={12}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder='{"type":"Polygon","coordinates":[[[113.28,33.74],[113.29,33.74],[113.29,33.75],[113.28,33.74]]]}'
          data-testid="geojson-text"
        />
        {problem && <Alert type="error" showIcon title={problem} />}
      </Space>
    </Modal>
  );
}
