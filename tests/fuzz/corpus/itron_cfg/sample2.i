# 0 "sample2.cfg"
# 1 "sample2.cfg"
# 1 "sample2.h" 1
# 3 "sample2.cfg" 2
CRE_TSK(CONTROL_TASK, { 0x02U, 0, control_task, 4, 4096U, 
# 4 "sample2.cfg" 3 4
                                                                              ((void *)0) 
# 4 "sample2.cfg"
                                                                                   });
CRE_TSK(REPORT_TASK, { 0x02U, 0, report_task, 8, 4096U, 
# 5 "sample2.cfg" 3 4
                                                                           ((void *)0) 
# 5 "sample2.cfg"
                                                                                });
CRE_TSK(CONSOLE_TASK, { 0x02U, 0, console_task, 12, 4096U, 
# 6 "sample2.cfg" 3 4
                                                                              ((void *)0) 
# 6 "sample2.cfg"
                                                                                   });
CRE_TSK(CHANNEL_TASK, { 0x02U, 0, channel_task, 6, 4096U, 
# 7 "sample2.cfg" 3 4
                                                                              ((void *)0) 
# 7 "sample2.cfg"
                                                                                   });
CRE_FLG(LOOP_FLG, { 0x04U, 0 });
CRE_SEM(CTL_SEM, { 0x00U, 0, 1 });
DEF_INH(9U, { 0U, ctl_doorbell });
CFG_INT(9U, { 0x01U, -2 });
CRE_MBX(SAMPLE_MBX, { 0x00U, 1, 
# 12 "sample2.cfg" 3 4
                                  ((void *)0) 
# 12 "sample2.cfg"
                                       });
CRE_MPF(SAMPLE_MPF, { 0x00U, 8, 32, 
# 13 "sample2.cfg" 3 4
                                            ((void *)0)
# 13 "sample2.cfg"
                                                , 
# 13 "sample2.cfg" 3 4
                                                  ((void *)0) 
# 13 "sample2.cfg"
                                                       });
CRE_CYC(LOOP_CYC, { 0x02U, 0, loop_cyclic, 10, 1 });
