import { PlusOutlined } from '@ant-design/icons';
import { Image, Typography, Upload, type UploadFile, type UploadProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { uploadResponse } from '../../../../src/server/modules/attachments/attachments.schema.ts';
import { ApiError, type ErrorBody } from '../../../shared/api.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useSession } from '../../lib/session.tsx';

type Uploaded = z.infer<typeof uploadResponse>;

/** The photo formats the server accepts for `kind=image` (it reads the bytes; this only filters the picker). */
const IMAGE_TYPES = 'image/jpeg,image/png,image/webp,image/gif';

interface Props {
  /** Attachment ids of the finished uploads, in the order shown. */
  value?: string[];
  onChange?(ids: string[]): void;
  /** At most this many photos (the case API takes 9 per write). */
  max?: number;
  accept?: string;
  /** Told when uploads start and finish, so a form can wait before it is sent. */
  onBusyChange?(busy: boolean): void;
  disabled?: boolean;
  /** Set by Form.Item so the label points at the file input. */
  id?: string;
}

const TRIGGER_STYLE = { border: 0, background: 'none', cursor: 'pointer', color: 'inherit' } as const;
const BLOCK = { display: 'block' } as const;

const idOf = (file: UploadFile<Uploaded>): string | undefined => file.response?.attachment.id;
const urlOf = (id: string) => `/api/attachments/${id}`;
const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A photo already uploaded (a value set from outside the control). */
function fromId(id: string): UploadFile<Uploaded> {
  return {
    uid: id,
    name: id,
    status: 'done',
    url: urlOf(id),
    response: { attachment: { id, kind: 'image', contentType: '', byteSize: 0, url: urlOf(id) } },
  };
}

function accepts(accept: string, file: File): boolean {
  // An empty type (the browser does not know it) is left for the server to judge from the bytes.
  if (!file.type) return true;
  return accept
    .split(',')
    .map((a) => a.trim())
    .some((a) => (a.endsWith('/*') ? file.type.startsWith(a.slice(0, -1)) : a === file.type));
}

/**
 * Photos for a case or a case event, as an Ant Design form control: each file goes to POST /api/attachments
 * as it is chosen (with its progress), and the control's value is the ids of those finished. A file the
 * server refuses stays in the list, marked, with the reason under it until it is removed.
 */
export function PhotoUpload({ value, onChange, max = 9, accept = IMAGE_TYPES, onBusyChange, disabled, id }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const csrfToken = useSession().session?.csrfToken;
  const [files, setFiles] = useState<UploadFile<Uploaded>[]>(() => (value ?? []).map(fromId));
  const [preview, setPreview] = useState<string>();
  const emitted = useRef<string[]>(value ?? []);

  // A value set from outside (the form reset, or ids given up front) replaces what the list holds.
  useEffect(() => {
    const ids = value ?? [];
    if (sameIds(ids, emitted.current)) return;
    emitted.current = ids;
    setFiles((current) => {
      if (ids.length === 0) return [];
      const kept = current.filter((f) => f.status !== 'done' || ids.includes(idOf(f) ?? ''));
      const known = new Set(kept.map(idOf));
      return [...kept, ...ids.filter((x) => !known.has(x)).map(fromId)];
    });
  }, [value]);

  const busy = files.some((f) => f.status === 'uploading');
  const busyReport = useRef(onBusyChange);
  busyReport.current = onBusyChange;
  useEffect(() => {
    busyReport.current?.(busy);
  }, [busy]);

  function reason(error: unknown): string {
    if (error instanceof ApiError && error.code === 'PAYLOAD_TOO_LARGE') {
      const maxBytes = (error.details as { maxBytes?: number } | undefined)?.maxBytes;
      return maxBytes
        ? t('caseDetail.photos.tooLargeMax', { size: Math.floor(maxBytes / 1024 / 1024) })
        : t('caseDetail.photos.tooLarge');
    }
    if (error instanceof ApiError && error.code === 'UNSUPPORTED_MEDIA_TYPE') return t('caseDetail.photos.notImage');
    return errorText(error);
  }

  const upload: UploadProps<Uploaded>['customRequest'] = ({ file, onProgress, onSuccess, onError }) => {
    const chosen = file as File;
    if (!accepts(accept, chosen)) {
      onError?.(new ApiError(415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'not an image' }));
      return;
    }
    const body = new FormData();
    body.append('kind', 'image');
    body.append('file', chosen);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/attachments');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.({ percent: Math.round((event.loaded / event.total) * 100) });
    };
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed) onSuccess?.(parsed as Uploaded);
      else onError?.(new ApiError(xhr.status, (parsed as Partial<ErrorBody> | undefined)?.error ?? {}));
    };
    xhr.onerror = () => onError?.(new TypeError('network'));
    xhr.send(body);
    return { abort: () => xhr.abort() };
  };

  function changed(list: UploadFile<Uploaded>[]) {
    const next = list.map((f) =>
      f.status === 'done' && f.response && !f.url ? { ...f, url: f.response.attachment.url } : f,
    );
    setFiles(next);
    const ids = next.filter((f) => f.status === 'done').flatMap((f) => idOf(f) ?? []);
    if (!sameIds(ids, emitted.current)) {
      emitted.current = ids;
      onChange?.(ids);
    }
  }

  const failed = files.filter((f) => f.status === 'error');
  return (
    <div className="photo-upload" data-testid="photo-upload" data-busy={busy}>
      <Upload<Uploaded>
        id={id}
        listType="picture-card"
        accept={accept}
        multiple
        maxCount={max}
        disabled={disabled}
        fileList={files}
        customRequest={upload}
        onChange={({ fileList }) => changed(fileList)}
        onPreview={(file) => setPreview(file.url ?? (file.response ? file.response.attachment.url : undefined))}
        locale={{
          uploading: t('caseDetail.photos.uploading'),
          uploadError: t('caseDetail.photos.failed'),
          removeFile: t('caseDetail.photos.remove'),
          previewFile: t('caseDetail.photos.preview'),
        }}
      >
        {files.length >= max || disabled ? null : (
          <button type="button" style={TRIGGER_STYLE}>
            <PlusOutlined />
            <div>{t('caseDetail.photos.add')}</div>
          </button>
        )}
      </Upload>
      {failed.map((f) => (
        <Typography.Text key={f.uid} type="danger" style={BLOCK} data-testid="photo-upload-error">
          {t('caseDetail.photos.fileError', { name: f.name, reason: reason(f.error) })}
        </Typography.Text>
      ))}
      <Typography.Text type="secondary" style={{ ...BLOCK, fontSize: 12 }}>
        {t('caseDetail.photos.hint', { max })}
      </Typography.Text>
      {preview ? (
        <Image
          style={{ display: 'none' }}
          src={preview}
          preview={{ open: true, src: preview, onOpenChange: (open) => !open && setPreview(undefined) }}
        />
      ) : null}
    </div>
  );
}
