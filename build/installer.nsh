; Included by electron-builder's NSIS installer (nsis.include). Registers the obnova:// link handler
; (links in the CA's "your certificate is ready" e-mails) for the installing user or machine, and removes it
; on uninstall. electron-builder's `protocols` covers macOS (Info.plist) and Linux (.desktop) only.
!macro customInstall
  DeleteRegKey SHELL_CONTEXT "Software\Classes\obnova"
  WriteRegStr SHELL_CONTEXT "Software\Classes\obnova" "" "URL:Obnova"
  WriteRegStr SHELL_CONTEXT "Software\Classes\obnova" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\obnova\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\obnova\shell\open\command" "" '"$appExe" "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHELL_CONTEXT "Software\Classes\obnova"
!macroend
