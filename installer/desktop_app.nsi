; 政务公开任务落实台账: per-user Windows installer (NSIS 3, Unicode, MUI2, Simplified Chinese).
;
;   makensis /DVERSION=0.1.0 /DBUNDLE_DIR=<abs path to dist\desktop_app> [/DOUT_DIR=<abs dir>] installer\desktop_app.nsi
;
; - installs into %LOCALAPPDATA%\Programs\desktop_app without administrator rights;
; - Start-menu and desktop shortcuts, an uninstaller registered under HKCU ...\Uninstall\desktop_app;
; - the user's data (%LOCALAPPDATA%\zwgk\desktop_app: database, backups, logs) is never touched, neither
;   by an upgrade nor by the uninstaller; the program migrates the database itself at next start;
; - silent: installer.exe /S [/D=C:\path] ; uninstall.exe /S  (no message boxes: every one has /SD).
; Exit codes (silent deployments): 0 ok, 1 cancelled, 2 aborted (e.g. wrong Windows), 3 program still running.

Unicode true
ManifestDPIAware true
; /DCOMPRESSOR=zlib or =none makes quick test builds (installer/check_linux.sh); releases use solid LZMA.
!ifdef COMPRESSOR
  !if "${COMPRESSOR}" == "none"
    SetCompress off
  !else
    SetCompressor ${COMPRESSOR}
  !endif
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user

!ifndef VERSION
  !error "Pass the program version: makensis /DVERSION=0.1.0 ..."
!endif
!ifndef BUNDLE_DIR
  !error "Pass the PyInstaller folder: makensis /DBUNDLE_DIR=C:\...\dist\desktop_app ..."
!endif
!ifndef OUT_DIR
  !define OUT_DIR "../dist"  ; makensis works in the script's folder (do not pass /NOCD)
!endif
; Four numbers for the version resource: 0.1.0 -> 0.1.0.0 (override with /DVI_VERSION=a.b.c.d).
!ifndef VI_VERSION
  !searchparse /noerrors "${VERSION}" "" V_MAJOR "." V_MINOR "." V_PATCH
  !ifndef V_PATCH
    !define V_PATCH 0
  !endif
  !define VI_VERSION "${V_MAJOR}.${V_MINOR}.${V_PATCH}.0"
!endif

!define APP_NAME "政务公开任务落实台账"
!define APP_ID "desktop_app"
!define PUBLISHER "zwgk"
!define EXE "desktop_app.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
; platformdirs.user_data_path("desktop_app", "zwgk", roaming=False), see desktop_app/paths.py
!define DATA_DIR "$LOCALAPPDATA\zwgk\desktop_app"
!define ICON_FILE "../resources/icons/app.ico"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinVer.nsh
!include x64.nsh

Name "${APP_NAME}"
Caption "${APP_NAME} ${VERSION} 安装程序"
UninstallCaption "卸载 ${APP_NAME}"
BrandingText "${APP_NAME} ${VERSION}"
OutFile "${OUT_DIR}/desktop_app-${VERSION}-win64-installer.exe"
; ASCII folder: some old tools (and 8.3-name fallbacks) still stumble over Chinese paths.
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

; --- pages ---------------------------------------------------------------------------------------
!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "确定要退出${APP_NAME}安装程序吗？"

!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "本程序将把${APP_NAME}安装到您的用户文件夹，不需要管理员权限。$\r$\n$\r$\n如果已安装旧版本，安装程序会替换旧的程序文件；您已录入的台账数据保存在$\r$\n${DATA_DIR}$\r$\n不会被删除，新版本首次启动时会自动升级数据库（升级前自动备份）。$\r$\n$\r$\n安装前请先关闭正在运行的${APP_NAME}。$\r$\n$\r$\n点击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行 ${APP_NAME}"
!define MUI_FINISHPAGE_TEXT "${APP_NAME} ${VERSION} 已安装。$\r$\n$\r$\n可从“开始”菜单或桌面快捷方式启动。台账数据保存在$\r$\n${DATA_DIR}"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从您的计算机删除${APP_NAME}的程序文件和快捷方式。$\r$\n您的台账数据、备份和日志会保留在 ${DATA_DIR}，重新安装后可继续使用；如需彻底删除，请在卸载后手动删除该文件夹。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${APP_NAME} 已卸载"
!define MUI_FINISHPAGE_TEXT "程序文件已删除。$\r$\n$\r$\n您的台账数据仍保留在$\r$\n${DATA_DIR}$\r$\n如不再需要，可手动删除该文件夹。"
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VI_VERSION}"
VIFileVersion "${VI_VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "MIT License"

; --- helpers -------------------------------------------------------------------------------------
; Is the program running from $INSTDIR? A running .exe cannot be opened for writing on Windows.
; Interactive: ask the user to close it (retry / cancel). Silent: end this user's copies with taskkill,
; and give up with exit code 3 if that did not help. Used by the installer and the uninstaller.
!macro CLOSE_RUNNING_APP UN
Function ${UN}CloseRunningApp
  Push $0
  Push $1
  Push $2
  StrCpy $2 0
  check:
    IfFileExists "$INSTDIR\${EXE}" 0 done
    ClearErrors
    FileOpen $0 "$INSTDIR\${EXE}" a
    IfErrors running
    FileClose $0
    Goto done
  running:
    IntOp $2 $2 + 1
    ${If} $2 > 5
      MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}仍在运行，无法继续。请关闭程序（或注销后重新登录）后再试。" /SD IDOK
      SetErrorLevel 3
      Quit
    ${EndIf}
    ${If} ${Silent}
    ${OrIf} $2 > 2
      DetailPrint "正在关闭正在运行的${APP_NAME}……"
      ReadEnvStr $1 USERNAME
      nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM ${EXE} /FI "USERNAME eq $1"'
      Pop $0
      Sleep 1500
      Goto check
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME}正在运行。$\r$\n请先保存并关闭程序，然后点“重试”。" /SD IDRETRY IDRETRY check
    SetErrorLevel 1
    Quit
  done:
  Pop $2
  Pop $1
  Pop $0
FunctionEnd
!macroend
!insertmacro CLOSE_RUNNING_APP ""
!insertmacro CLOSE_RUNNING_APP "un."

; Only the files this program put there: never RMDir /r $INSTDIR (the user may have chosen a folder
; that holds other things). The data folder is elsewhere and is not touched.
!macro REMOVE_PROGRAM_FILES
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}需要 64 位的 Windows 10（1809 或更高版本）或 Windows 11。" /SD IDOK
    SetErrorLevel 2
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 17763
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}需要 Windows 10（1809 或更高版本）或 Windows 11；本机系统版本过低，无法安装。" /SD IDOK
    SetErrorLevel 2
    Abort
  ${EndIf}
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

; --- install -------------------------------------------------------------------------------------
Section "!${APP_NAME}" SecMain
  SectionIn RO
  SetShellVarContext current
  Call CloseRunningApp

  ; An older version in this folder: remove its program files first (a newer bundle may have dropped
  ; or renamed libraries), keep everything else.
  ${If} ${FileExists} "$INSTDIR\${EXE}"
    DetailPrint "正在删除旧版本的程序文件（台账数据不受影响）……"
    !insertmacro REMOVE_PROGRAM_FILES
  ${EndIf}

  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}/*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${APP_NAME}"
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${APP_NAME}"

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

; --- uninstall -----------------------------------------------------------------------------------
Section "Uninstall"
  SetShellVarContext current
  Call un.CloseRunningApp
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  !insertmacro REMOVE_PROGRAM_FILES
  RMDir "$INSTDIR"  ; only if empty
  DeleteRegKey HKCU "${UNINST_KEY}"
  DetailPrint "台账数据已保留：${DATA_DIR}"
SectionEnd
