import { BulbOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { suggestCategories } from '../../api/case-config.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';

const MAX_TEXT = 5000;

/**
 * 试一试: what the intake form would suggest for a description, with the active categories' keywords as they
 * are now. Asked again after every saved change (refreshKey), so a new keyword's effect shows at once.
 */
export function SuggestCard({
  refreshKey,
  nameOf,
  onOpen,
}: {
  refreshKey: number;
  /** A category's "parent / name" in the interface language, when the page has it. */
  nameOf(id: number): string | undefined;
  onOpen(id: number): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [text, setText] = useState('');
  const [tried, setTried] = useState('');
  const result = useLoad(() => suggestCategories(tried), [tried, refreshKey], tried !== '');
  const items = result.data ?? [];

  return (
    <section className="suggest-card" aria-labelledby="suggest-title">
      <div className="suggest-head">
        <Typography.Text strong id="suggest-title">
          <BulbOutlined /> {t('caseAdmin.suggest.title')}
        </Typography.Text>
        <Typography.Text type="secondary">{t('caseAdmin.suggest.intro')}</Typography.Text>
      </div>
      <Input.Search
        data-testid="suggest-text"
        aria-label={t('caseAdmin.suggest.text')}
        value={text}
        maxLength={MAX_TEXT}
        placeholder={t('caseAdmin.suggest.placeholder')}
        enterButton={
          <Button type="primary" disabled={text.trim() === ''} data-testid="suggest-try">
            {t('caseAdmin.suggest.try')}
          </Button>
        }
        onChange={(e) => setText(e.target.value)}
        onSearch={(value) => setTried(value.trim())}
      />
      {tried !== '' && (
        <div className="suggest-result" data-testid="suggest-result" aria-live="polite">
          {result.error ? (
            <Alert type="error" showIcon title={errorText(result.error)} />
          ) : (
            <Spin spinning={result.loading} size="small">
              {!result.loading && items.length === 0 ? (
                <Typography.Text type="secondary">{t('caseAdmin.suggest.none')}</Typography.Text>
              ) : (
                <ol className="suggestion-list">
                  {items.map((item, index) => (
                    <li
                      key={item.id}
                      data-testid="suggestion"
                      data-category-id={item.id}
                      data-category-name={item.name}
                    >
                      <Tag color={index === 0 ? 'red' : 'default'}>{index + 1}</Tag>
                      <span>
                        {nameOf(item.id) ?? (item.parentName ? `${item.parentName} / ${item.name}` : item.name)}
                      </span>
                      <Typography.Text type="secondary" className="suggestion-score">
                        {t('caseAdmin.suggest.score', { score: item.score })}
                      </Typography.Text>
                      <Button type="link" size="small" onClick={() => onOpen(item.id)}>
                        {t('caseAdmin.suggest.open')}
                      </Button>
                    </li>
                  ))}
                </ol>
              )}
            </Spin>
          )}
        </div>
      )}
    </section>
  );
}
