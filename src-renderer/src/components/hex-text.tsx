/** Colon-grouped hex that may wrap only between bytes, never inside one. */
import { Fragment } from 'react';
import { colonHex } from '../model/hex-format.js';

export function HexText({ hex }: { hex: string }) {
  const groups = colonHex(hex).split(':');
  return (
    <>
      {groups.map((group, index) => (
        <Fragment key={index}>
          {group}
          {index < groups.length - 1 && (
            <>
              :<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}
